package main

import (
	"strings"
	"testing"
)

func TestParseCodes(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    []entry
		wantErr string
	}{
		{
			name: "names, values and comments in order; other constants ignored",
			src: `package errcode
type Code int
const other = 7
const (
	// DuplicateTransaction: the id was used.
	DuplicateTransaction Code = 9004
	InsufficientBalance  Code = 9008 // not enough points
	Forbidden            Code = 1002
)`,
			want: []entry{
				{"DuplicateTransaction", 9004, "DuplicateTransaction: the id was used."},
				{"InsufficientBalance", 9008, "not enough points"},
				{"Forbidden", 1002, ""},
			},
		},
		{name: "two names for one code", src: "package errcode\ntype Code int\nconst (\n\tA Code = 1\n\tB Code = 1\n)", wantErr: "both 1"},
		{name: "a value that is not a literal", src: "package errcode\ntype Code int\nconst A Code = 1 + 1", wantErr: "integer literal"},
		{name: "no table", src: "package errcode\nconst A = 1", wantErr: "no constants"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseCodes([]byte(tt.src))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("entry %d: got %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestRenderNamesStatusAndCategory: each constant's documentation carries
// the status and category the mock answers with, read from package errcode.
func TestRenderNamesStatusAndCategory(t *testing.T) {
	out, err := render([]entry{{"InsufficientBalance", 9008, ""}, {"CustomerNotFound", 7000, "no such customer"}}, "errcode.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"// ErrorCodeInsufficientBalance is 9008 (HTTP 422, TransactionError).\n",
		"ErrorCodeInsufficientBalance ErrorCode = 9008\n",
		"// ErrorCodeCustomerNotFound is 7000 (HTTP 404, CustomerError): no such customer.\n",
		"DO NOT EDIT.",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
