package main

import (
	"bytes"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunRefuses checks that gameball-mock refuses to start, with a message
// that says why, on settings and files it cannot use, and leaves a refused
// state file as it was, and a new one unwritten.
func TestRunRefuses(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	corrupt := write("corrupt.json", `{"format":"gameball-mock-state","version":1,"accounts":[`)
	future := write("future.json", `{"format":"gameball-mock-state","version":7,"accounts":[]}`)
	badFixtures := write("fixtures.json", `{"accounts":[{"name":"default","customers":[{"id":"a","tier":"Platinum"}]}]}`)
	unknownField := write("unknown.json", `{"accounts":[],"customers":[]}`)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	newState := filepath.Join(dir, "new.state.json")

	tests := []struct {
		name string
		args []string
		says string
		file string // a file that must be left as it was
		none string // a file that must not be written
	}{
		{"a corrupt state file", []string{"-state", corrupt}, "is refused: it is not valid JSON", corrupt, ""},
		{"a state file of another version", []string{"-state", future}, "state version 7 is not supported", future, ""},
		{"fixtures the program refuses", []string{"-fixtures", badFixtures}, `tier "Platinum" is not one of the program's tiers`, badFixtures, ""},
		{"fixtures with an unknown field", []string{"-fixtures", unknownField}, `unknown field "customers"`, unknownField, ""},
		{"missing fixtures", []string{"-fixtures", filepath.Join(dir, "none.json")}, "no such file", "", ""},
		{"a journal size that is not a number", []string{"-journal", "many"}, "-journal", "", ""},
		{"a debounce that is not a duration", []string{"-state-debounce", "soon"}, "-state-debounce", "", ""},
		{"a port in use, with a new state file", []string{"-addr", busy.Addr().String(), "-state", newState}, "listen on", "", newState},
		{"fixtures refused, with a new state file", []string{"-state", newState, "-fixtures", badFixtures}, `tier "Platinum"`, badFixtures, newState},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before []byte
			if tt.file != "" {
				before, _ = os.ReadFile(tt.file)
			}
			var stdout, stderr bytes.Buffer
			err := run(append([]string{"-addr", "127.0.0.1:0"}, tt.args...), &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("run answered %v, want an error saying %q", err, tt.says)
			}
			if stdout.Len() != 0 {
				t.Errorf("a refused start printed a banner: %s", stdout.String())
			}
			if tt.file != "" {
				if after, _ := os.ReadFile(tt.file); !bytes.Equal(before, after) {
					t.Errorf("the refused file changed")
				}
			}
			if tt.none != "" {
				if _, err := os.Stat(tt.none); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("a refused start left %s behind (%v)", tt.none, err)
				}
			}
		})
	}
}
