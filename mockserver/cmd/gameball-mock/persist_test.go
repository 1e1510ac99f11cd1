package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/client/gbapi"
	"github.com/gbkit/gameball-go/gbtime"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
	"github.com/gbkit/gameball-go/mockserver/control"
)

// buildMock builds gameball-mock into a temporary directory, with the race
// detector when the tests run with it (the test build's packages are then
// reused).
func buildMock(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gameball-mock")
	args := []string{"build", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go tool is needed to build gameball-mock: %v", err)
	}
	out, err := exec.Command(goTool, append(args, ".")...).CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// mockProcess is a running gameball-mock.
type mockProcess struct {
	cmd    *exec.Cmd
	url    string
	stderr *bytes.Buffer
	done   chan error
}

// startMock runs bin with args on a free loopback port and waits for its
// banner; the process is killed when the test ends, if still running.
func startMock(t testing.TB, bin string, args ...string) *mockProcess {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	p := &mockProcess{cmd: cmd, stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if url, ok := strings.CutPrefix(sc.Text(), "gameball-mock listening on "); ok {
				urls <- url
			}
		}
	}()
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
		p.done <- nil
	})
	select {
	case p.url = <-urls:
		return p
	case err := <-p.done:
		p.done <- err
		t.Fatalf("gameball-mock exited before listening: %v\n%s", err, p.stderr)
	case <-time.After(30 * time.Second):
		t.Fatalf("gameball-mock did not listen within 30s\n%s", p.stderr)
	}
	return nil
}

// writeFixtures writes n customers with a few ledger entries each, so the
// state file is large enough that a kill often lands in the middle of a save.
func writeFixtures(t *testing.T, path string, n int) {
	t.Helper()
	f := control.Fixtures{Accounts: []control.AccountFixture{{Name: "default"}}}
	for i := range n {
		f.Accounts[0].Customers = append(f.Accounts[0].Customers, control.CustomerFixture{
			ID: fmt.Sprintf("fixture_%04d", i), Points: new(int64(100 + i)),
			Ledger: &[]control.LedgerFixture{
				{Kind: control.EntryKindCashback, TransactionID: new(fmt.Sprintf("FX-%04d-a", i)), Points: 40},
				{Kind: control.EntryKindManual, TransactionID: new(fmt.Sprintf("FX-%04d-b", i)), Points: -5, Reason: new("fixture"), Username: new("qa")},
			},
		})
	}
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// loadsInto checks that a state file loads, as gameball-mock loads it, into
// an engine of the default configuration, and answers how many ledger
// entries it holds.
func loadsInto(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := mockserver.DecodeState(data)
	if err != nil {
		t.Fatalf("the state file does not load: %v", err)
	}
	engine, err := loyalty.New(loyalty.DefaultConfig(), loyalty.NewShiftedClock())
	if err != nil {
		t.Fatal(err)
	}
	defer engine.Close()
	if err := engine.Restore(loyalty.State{Version: st.Version, Accounts: st.Accounts}); err != nil {
		t.Fatalf("the state file does not restore: %v", err)
	}
	entries := 0
	for _, a := range st.Accounts {
		for _, c := range a.Customers {
			entries += len(c.Ledger)
		}
	}
	return entries
}

// writer sends state-changing requests (cashback, manual transactions,
// batches, clock moves) until ctx ends, counting the acknowledged ones.
func writer(ctx context.Context, url string, worker int, acked *atomic.Int64) {
	cfg := loyalty.DefaultConfig().Accounts[0]
	hc := &http.Client{Timeout: 5 * time.Second}
	gb, _ := gbapi.NewClientWithResponses(url, gbapi.WithHTTPClient(hc), gbapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("apikey", cfg.APIKey)
		r.Header.Set("secretkey", cfg.SecretKey)
		return nil
	}))
	ctl, _ := control.NewClientWithResponses(url, control.WithHTTPClient(hc))
	when := gbtime.New(time.Now().Add(-time.Hour).UTC().Truncate(time.Second))
	for i := 0; ctx.Err() == nil; i++ {
		id := fmt.Sprintf("W%d-%d-%d", worker, time.Now().UnixNano(), i)
		ok := false
		switch i % 4 {
		case 0, 1:
			res, err := gb.RewardCashbackWithResponse(ctx, client.RewardCashbackRequest{CustomerID: fmt.Sprintf("w%d_%d", worker, i%50), TransactionID: id, TransactionTime: when, Amount: 12.5})
			ok = err == nil && res.StatusCode() == 200
		case 2:
			res, err := gb.AddManualTransactionWithResponse(ctx, client.AddManualTransactionRequest{CustomerID: fmt.Sprintf("fixture_%04d", i%300), TransactionID: id, TransactionTime: when, Points: new(3), Username: "qa", Reason: "kill test"})
			ok = err == nil && res.StatusCode() == 200
		case 3:
			items := make([]client.BalanceAdjustmentItem, 10)
			for k := range items {
				items[k] = client.BalanceAdjustmentItem{CustomerID: fmt.Sprintf("batch_%d", k), Amount: 1}
			}
			res, err := gb.AdjustBalanceBatchWithResponse(ctx, client.AdjustBalanceBatchRequest{Body: items})
			ok = err == nil && res.StatusCode() == 200
			if worker == 0 {
				_, _ = ctl.AdvanceClockWithResponse(ctx, control.ClockAdvance{By: "1m"})
			}
		}
		if ok {
			acked.Add(1)
		}
	}
}

// TestStateFileProcess runs the gameball-mock binary with a state file: it
// survives SIGKILL at any moment, and SIGTERM saves everything.
func TestStateFileProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills gameball-mock; skipped with -short")
	}
	bin := buildMock(t)
	t.Run("SIGKILL", func(t *testing.T) { testSIGKILL(t, bin) })
	t.Run("SIGTERM", func(t *testing.T) { testSIGTERM(t, bin) })
	t.Run("failed saves", func(t *testing.T) { testFailedSaves(t, bin) })
}

// testFailedSaves: when the state file can no longer be saved (its
// directory is gone: root writes even into a read-only one), readiness turns
// false, and a SIGTERM whose last save fails exits non-zero, saying so.
func testFailedSaves(t *testing.T, bin string) {
	dir := filepath.Join(t.TempDir(), "state")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := startMock(t, bin, "-state", filepath.Join(dir, "state.json"), "-state-debounce", "1ms")
	ctl, err := control.NewClientWithResponses(p.url)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := ctl.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	var acked atomic.Int64
	wctx, stop := context.WithCancel(ctx)
	go writer(wctx, p.url, 0, &acked)
	for {
		res, err := ctl.GetReadinessWithResponse(ctx)
		if err != nil {
			t.Fatalf("readiness stayed true with saves failing: %v\n%s", err, p.stderr)
		}
		if res.StatusCode() == http.StatusServiceUnavailable {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	stop()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = <-p.done
	p.done <- err
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 || !strings.Contains(p.stderr.String(), "saving the state") {
		t.Fatalf("a last save that failed ended with %v\n%s", err, p.stderr)
	}
	if n := strings.Count(p.stderr.String(), "saving the state failed"); n != 1 {
		t.Errorf("the failing saves were logged %d times, want once\n%s", n, p.stderr)
	}
}

// testSIGKILL kills gameball-mock with SIGKILL, many times, in the middle
// of a stream of writes, with saves as frequent as they go (no debounce):
// every other round at a random point of the stream, the others the moment
// a save has its temporary file open. After every kill the state file
// loads, restores, never holds less than after the kill before, and the
// next process starts from it.
func testSIGKILL(t *testing.T, bin string) {
	dir := t.TempDir()
	state, fixtures := filepath.Join(dir, "state.json"), filepath.Join(dir, "fixtures.json")
	writeFixtures(t, fixtures, 300)

	const rounds = 12
	previous, interrupted := 0, 0
	for round := range rounds {
		p := startMock(t, bin, "-state", state, "-state-debounce", "0s", "-fixtures", fixtures, "-journal", "0")
		var acked atomic.Int64
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for w := range 3 {
			wg.Go(func() { writer(ctx, p.url, w, &acked) })
		}
		// Kill after a random number of acknowledged writes: at a random
		// point of the stream of saves; on odd rounds, then as soon as a
		// save is writing its temporary file.
		target := int64(5 + rand.IntN(60))
		deadline := time.Now().Add(20 * time.Second)
		for acked.Load() < target && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if acked.Load() < target {
			t.Fatalf("round %d: only %d writes acknowledged in 20s\n%s", round, acked.Load(), p.stderr)
		}
		for round%2 == 1 && time.Now().Before(deadline) && !saving(dir) {
		}
		if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		err := <-p.done
		p.done <- err
		cancel()
		wg.Wait()
		if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: the process ended with %v, not by SIGKILL\n%s", round, err, p.stderr)
		}
		if saving(dir) {
			interrupted++ // the kill landed in the middle of a save
		}
		entries := loadsInto(t, state)
		if entries < previous {
			t.Fatalf("round %d: the state file went back from %d to %d ledger entries", round, previous, entries)
		}
		previous = entries
	}
	t.Logf("%d kills, %d of them in the middle of a save; the file always loaded (%d ledger entries at the end)", rounds, interrupted, previous)

	// The last file starts a server that answers from it, its own fixtures
	// not seeded again.
	p := startMock(t, bin, "-state", state, "-fixtures", fixtures)
	ctl, err := control.NewClientWithResponses(p.url)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := ctl.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := ctl.GetCustomerWithResponse(ctx, "default", "fixture_0007")
	if err != nil || res.JSON200 == nil || res.JSON200.Ledger[0].Reason == nil || *res.JSON200.Ledger[0].Reason != "opening balance" {
		t.Fatalf("fixture_0007 after the kills: %v %s", err, res.Body)
	}
}

// saving reports whether a save of state.json in dir is under way: its
// temporary file exists.
func saving(dir string) bool {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".state.json.") {
			return true
		}
	}
	return false
}

// testSIGTERM checks that SIGTERM saves every acknowledged change, however
// short the time since the last one.
func testSIGTERM(t *testing.T, bin string) {
	state := filepath.Join(t.TempDir(), "state.json")
	p := startMock(t, bin, "-state", state, "-state-debounce", "1h")
	var acked atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		writer(ctx, p.url, 0, &acked)
	}()
	for acked.Load() < 40 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := <-p.done; err != nil {
		t.Fatalf("gameball-mock exited with %v\n%s", err, p.stderr)
	}
	p.done <- nil
	data, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	st, err := mockserver.DecodeState(data)
	if err != nil {
		t.Fatal(err)
	}
	// Every acknowledged write is in the file: cashback and manual ones as
	// entries, batches as jobs (finished or saved to resume).
	entries, jobs := 0, 0
	for _, a := range st.Accounts {
		for _, c := range a.Customers {
			entries += len(c.Ledger)
		}
		jobs += len(a.Batches)
	}
	if singles := acked.Load() - int64(jobs); int64(entries) < singles {
		t.Fatalf("the file has %d ledger entries and %d jobs for %d acknowledged writes", entries, jobs, acked.Load())
	}
}

// BenchmarkKillLoss measures what a SIGKILL loses with the default
// debounce: one sequential writer of cashback calls, killed at a random
// moment; per kill, how long before it the oldest acknowledged write that
// the state file lacks was acknowledged (0 when none is missing). Reported
// as the median and the largest of b.N kills (go test -run '^$' -bench
// KillLoss -benchtime 20x ./mockserver/cmd/gameball-mock).
func BenchmarkKillLoss(b *testing.B) {
	bin := buildMock(b)
	cfg := loyalty.DefaultConfig().Accounts[0]
	var windows []time.Duration
	for i := 0; b.Loop(); i++ {
		state := filepath.Join(b.TempDir(), "state.json")
		p := startMock(b, bin, "-state", state, "-journal", "0")
		hc := &http.Client{Timeout: 5 * time.Second}
		gb, _ := gbapi.NewClientWithResponses(p.url, gbapi.WithHTTPClient(hc), gbapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("apikey", cfg.APIKey)
			r.Header.Set("secretkey", cfg.SecretKey)
			return nil
		}))
		when := gbtime.New(time.Now().Add(-time.Hour).UTC().Truncate(time.Second))
		acked := map[int64]time.Time{} // gameballTransactionId: when acknowledged
		killAt := time.Now().Add(time.Duration(500+rand.IntN(1500)) * time.Millisecond)
		for n := 0; time.Now().Before(killAt); n++ {
			res, err := gb.RewardCashbackWithResponse(context.Background(), client.RewardCashbackRequest{CustomerID: fmt.Sprintf("k_%d", n%20), TransactionID: fmt.Sprintf("K-%d-%d", i, n), TransactionTime: when, Amount: 10})
			if err == nil && res.JSON200 != nil && res.JSON200.GameballTransactionID != 0 {
				acked[res.JSON200.GameballTransactionID] = time.Now()
			}
		}
		killed := time.Now()
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		err := <-p.done
		p.done <- err
		data, err := os.ReadFile(state)
		if err != nil {
			b.Fatal(err)
		}
		st, err := mockserver.DecodeState(data)
		if err != nil {
			b.Fatal(err)
		}
		saved := st.Accounts[0].LastGameballTransactionID
		if len(acked) == 0 {
			b.Fatalf("no write was acknowledged\n%s", p.stderr)
		}
		window := time.Duration(0)
		if first, ok := acked[saved+1]; ok {
			window = killed.Sub(first)
		}
		windows = append(windows, window)
	}
	slices.Sort(windows)
	b.ReportMetric(float64(windows[len(windows)/2].Milliseconds()), "ms-lost-median")
	b.ReportMetric(float64(windows[len(windows)-1].Milliseconds()), "ms-lost-max")
}
