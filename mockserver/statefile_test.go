package mockserver_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/internal/syncbuf"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
	"github.com/gbkit/gameball-go/mockserver/control"
)

// newServer is a server on twoAccounts with a movable clock, without HTTP.
func newServer(t *testing.T, edit func(*loyalty.Config)) *mockserver.Server {
	t.Helper()
	_, srv := newEngineServer(t, qaConfig(edit), mockserver.Options{})
	return srv
}

// TestStateFileSavesAndLoads checks the life of a state file: created when
// missing, saved after changes (the clock's included), saved at Close, and
// loaded by the next server, running batch jobs included.
func TestStateFileSavesAndLoads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	m := startQA(t, mockserver.Options{}, func(c *loyalty.Config) { c.Batch.ItemDelay = time.Hour })
	file, loaded, err := mockserver.OpenStateFile(m.server, path, time.Millisecond, nil)
	if err != nil || loaded {
		t.Fatalf("open a missing file: %v, loaded %v", err, loaded)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the file was written before any change or Save: %v", err)
	}
	if err := file.Save(); err != nil {
		t.Fatal(err)
	}
	if _, err := mockserver.DecodeState(mustRead(t, path)); err != nil {
		t.Fatalf("the new file does not load: %v", err)
	}

	ctx := context.Background()
	if res, err := m.gb.RewardCashbackWithResponse(ctx, cashbackBody("saved_1", "SAVE-1", 10)); err != nil || res.StatusCode() != 200 {
		t.Fatal(err)
	}
	eventually(t, "the cashback to be saved", func() bool { return bytes.Contains(mustRead(t, path), []byte("saved_1")) })
	if res, _ := m.ctl.AdvanceClockWithResponse(ctx, control.ClockAdvance{By: "2d"}); res.JSON200 == nil {
		t.Fatal(string(res.Body))
	}
	eventually(t, "the clock to be saved", func() bool { return bytes.Contains(mustRead(t, path), []byte(`"clockOffset": "48h0m0s"`)) })
	// A job that will not finish before Close (an hour between items).
	items := []client.BalanceAdjustmentItem{{CustomerID: "job", Amount: 1}, {CustomerID: "job", Amount: 2}}
	if res, err := m.gb.AdjustBalanceBatchWithResponse(ctx, client.AdjustBalanceBatchRequest{Body: items}); err != nil || res.StatusCode() != 200 {
		t.Fatal(err)
	}
	eventually(t, "the first item to run", func() bool {
		st, _ := m.engine.Accounts()[0].BatchStatus(1)
		return st.ProcessedItems == 1
	})
	m.engine.Close()
	if err := file.Close(); err != nil {
		t.Fatal(err)
	}
	if readiness, _ := m.ctl.GetReadinessWithResponse(ctx); readiness.JSON200 == nil || deref(readiness.JSON200.StateFile) != path {
		t.Fatalf("readiness does not name the state file: %s", readiness.Body)
	}

	next := newServer(t, nil)
	file2, loaded, err := mockserver.OpenStateFile(next, path, time.Millisecond, nil)
	if err != nil || !loaded {
		t.Fatalf("reopen: %v, loaded %v", err, loaded)
	}
	defer file2.Close()
	a := next.Engine().Accounts()[0]
	if b, err := a.Balance("saved_1"); err != nil || b.AvailablePoints != 10 {
		t.Fatalf("saved_1 after reload: %+v %v", b, err)
	}
	if offset := next.Engine().Clock().Now().Sub(time.Now()); offset < 47*time.Hour || offset > 49*time.Hour {
		t.Fatalf("the clock's offset after reload is %s, want 48h", offset)
	}
	eventually(t, "the saved job to resume and finish", func() bool {
		st, err := a.BatchStatus(1)
		return err == nil && st.State == loyalty.BatchCompleted
	})
	if b, _ := a.Balance("job"); b.AvailablePoints != 3 {
		t.Fatalf("the resumed job applied %d points, want 3 (each item once)", b.AvailablePoints)
	}
}

// TestStateFileRefusals checks that a file the server cannot use stops it
// with a message that says why, and is left exactly as it was.
func TestStateFileRefusals(t *testing.T) {
	good := `{"format":"gameball-mock-state","version":2,"accounts":[]}`
	tests := []struct {
		name string
		data string
		says string
	}{
		{"empty", "", "it is empty"},
		{"not JSON", "hello", "it is not valid JSON"},
		{"cut short", good[:30], "it is not valid JSON"},
		{"two objects", good + good, "more after the state object"},
		{"another program's JSON", `{"users":[]}`, "unknown field"},
		{"another format", `{"format":"other","version":2,"accounts":[]}`, `format is "other"`},
		{"another version", `{"format":"gameball-mock-state","version":1,"accounts":[]}`, "state version 1 is not supported: this gameball-mock reads version 2"},
		{"an unknown account", `{"format":"gameball-mock-state","version":2,"accounts":[{"name":"gone","lastGameballTransactionId":0,"lastBatchId":0,"customers":[],"batches":[]}]}`, `account "gone" is not configured`},
		{"an inconsistent ledger", `{"format":"gameball-mock-state","version":2,"accounts":[{"name":"default","lastGameballTransactionId":0,"lastBatchId":0,"customers":[{"id":"c","ledger":[{"gameballTransactionId":5,"kind":"adjustment","points":1,"amount":1,"time":"2025-01-01T00:00:00Z","recordedAt":"2025-01-01T00:00:00Z","availableAt":"2025-01-01T00:00:00Z"}]}],"batches":[]}]}`, "above lastGameballTransactionId"},
		{"a bad clock", `{"format":"gameball-mock-state","version":2,"clockOffset":"soon","accounts":[]}`, "clockOffset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "state.json")
			if err := os.WriteFile(path, []byte(tt.data), 0o600); err != nil {
				t.Fatal(err)
			}
			_, _, err := mockserver.OpenStateFile(newServer(t, nil), path, time.Millisecond, nil)
			if err == nil || !strings.Contains(err.Error(), tt.says) || !strings.Contains(err.Error(), "left as it is") {
				t.Fatalf("error %v, want one saying %q and that the file was left alone", err, tt.says)
			}
			if got := string(mustRead(t, path)); got != tt.data {
				t.Fatalf("the refused file changed to %q", got)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Fatalf("files beside the state: %v", entries)
			}
		})
	}
}

// TestStateFileRemovesOnlyItsTemporaries checks the clean-up of what a
// killed save left: the file's own temporaries go, nothing else.
func TestStateFileRemovesOnlyItsTemporaries(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	for _, name := range []string{".state.json.123.tmp", ".state.json.456.tmp", ".other.json.1.tmp", "state.json.bak", "notes.tmp"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	file, _, err := mockserver.OpenStateFile(newServer(t, nil), path, time.Millisecond, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := file.Close(); err != nil {
		t.Fatal(err)
	}
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{".other.json.1.tmp", "notes.tmp", "state.json", "state.json.bak"}
	if !sameJSON(names, want) {
		t.Fatalf("files %v, want %v", names, want)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestStateFileSaveFailures: while the state file cannot be saved (its
// directory gone or read-only, the file existing), the failure is logged
// once, readiness is false, and saves go on being tried; the first that
// succeeds, with no new change needed, makes the server ready again.
func TestStateFileSaveFailures(t *testing.T) {
	tests := []struct {
		name              string
		breakDir, mendDir func(dir string) error
		needsNonRoot      bool
	}{
		{"the directory removed", os.RemoveAll, func(dir string) error { return os.Mkdir(dir, 0o755) }, false},
		{"a read-only directory", func(dir string) error { return os.Chmod(dir, 0o555) }, func(dir string) error { return os.Chmod(dir, 0o755) }, true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.needsNonRoot && os.Geteuid() == 0 {
				t.Skip("root writes into a read-only directory; the removed directory stands for it")
			}
			dir := filepath.Join(t.TempDir(), "state")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "state.json")
			var log syncbuf.Buffer
			m := startQA(t, mockserver.Options{}, nil)
			file, _, err := mockserver.OpenStateFile(m.server, path, time.Millisecond, slog.New(slog.NewTextHandler(&log, nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer file.Discard()
			if err := file.Save(); err != nil {
				t.Fatal(err)
			}
			ready := func() bool {
				res, err := m.ctl.GetReadinessWithResponse(context.Background())
				return err == nil && res.StatusCode() == 200
			}
			if !ready() {
				t.Fatal("not ready before any failure")
			}
			if err := tt.breakDir(dir); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = tt.mendDir(dir) })
			for n := range 5 {
				if res, err := m.gb.RewardCashbackWithResponse(context.Background(), cashbackBody("unsaved", fmt.Sprintf("F-%d-%d", i, n), 10)); err != nil || res.StatusCode() != 200 {
					t.Fatal(err)
				}
				eventually(t, "readiness to turn false", func() bool { return !ready() })
			}
			if got := strings.Count(log.String(), "saving the state failed"); got != 1 {
				t.Errorf("5 failed saves logged %d failures, want 1:\n%s", got, log.String())
			}
			if err := tt.mendDir(dir); err != nil {
				t.Fatal(err)
			}
			eventually(t, "a retried save to make the server ready", ready)
			if !bytes.Contains(mustRead(t, path), []byte("unsaved")) {
				t.Error("the changes made while saves failed are not in the file")
			}
			if !strings.Contains(log.String(), "saving the state works again") {
				t.Errorf("the recovery is not logged:\n%s", log.String())
			}
		})
	}
}
