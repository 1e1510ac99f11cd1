package main

import (
	"bytes"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gbkit/gameball-go/loyalty"
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
	corrupt := write("corrupt.json", `{"format":"gameball-mock-state","version":2,"accounts":[`)
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

// TestStartWarnings: the banner says which Host names a loopback mock
// answers, and the log warns when any page may call an open control API.
func TestStartWarnings(t *testing.T) {
	loopback := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8741}
	everywhere := &net.TCPAddr{IP: net.IPv4zero, Port: 8741}
	tests := []struct {
		name   string
		flags  qaFlags
		addr   net.Addr
		warns  string // in the log; empty: no warning
		banner string // in the banner
	}{
		{"local origins, loopback", qaFlags{cors: "local"}, loopback, "", "answers Host names: localhost, 127.0.0.1, [::1] "},
		{"any origin, no admin key", qaFlags{cors: "*"}, loopback, "-cors '*' without an admin key", ""},
		{"any origin among others, no admin key", qaFlags{cors: "http://a.test, *"}, loopback, "-cors '*' without an admin key", ""},
		{"any origin, an admin key", qaFlags{cors: "*", adminKey: "k-123456"}, loopback, "", ""},
		{"allowed hosts", qaFlags{cors: "local", hosts: "mock.test"}, loopback, "", "[::1], mock.test "},
		{"every interface, no admin key", qaFlags{cors: "local"}, everywhere, "open to the network", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var banner, log bytes.Buffer
			tt.flags.printBanner(&banner, tt.addr, slog.New(slog.NewTextHandler(&log, nil)))
			if (tt.warns == "") != (log.Len() == 0) || !strings.Contains(log.String(), tt.warns) {
				t.Errorf("log %q, want a warning saying %q", log.String(), tt.warns)
			}
			if !strings.Contains(banner.String(), tt.banner) {
				t.Errorf("banner %q lacks %q", banner.String(), tt.banner)
			}
		})
	}
}

// TestLoopbackHostsFollowTheAddress: the Host guard is on exactly when the
// mock listens on loopback only.
func TestLoopbackHostsFollowTheAddress(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8741": true, "localhost:0": true, "[::1]:8741": true, "127.0.0.2:1": true,
		":8741": false, "0.0.0.0:8741": false, "[::]:8741": false, "192.168.1.4:8741": false,
	} {
		q := qaFlags{cors: "local", journal: "10", hosts: " mock.test , "}
		opts, err := q.options(slog.New(slog.DiscardHandler), loyalty.DefaultConfig(), addr)
		if err != nil {
			t.Fatal(err)
		}
		if opts.LoopbackHosts != want || len(opts.AllowedHosts) != 1 || opts.AllowedHosts[0] != "mock.test" {
			t.Errorf("-addr %s: LoopbackHosts %v, AllowedHosts %q; want %v, [mock.test]", addr, opts.LoopbackHosts, opts.AllowedHosts, want)
		}
	}
}
