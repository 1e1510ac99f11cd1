package loyalty

import (
	"crypto/sha256"
	"crypto/subtle"
	"slices"
	"sync"
	"time"
)

// Engine runs one loyalty program over the configured accounts. Create it
// with New and Close it when done, to stop its batch workers.
type Engine struct {
	program  Program
	batch    BatchConfig
	clock    Clock
	accounts []*Account // in configuration order

	done      chan struct{}
	closeOnce sync.Once
	workers   sync.WaitGroup

	changes changes
}

// closeTimeout bounds how long Close waits for batch workers. A worker only
// ever waits on the account lock or an interruptible pause, so this is a
// safety net, not a delay anyone should see.
const closeTimeout = 5 * time.Second

// New starts an engine for cfg, reading time from clock (nil: SystemClock).
// cfg must pass Validate. Each account gets one batch worker goroutine.
func New(cfg Config, clock Clock) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if clock == nil {
		clock = SystemClock{}
	}
	e := &Engine{
		program: cloneProgram(cfg.Program),
		batch:   cfg.Batch,
		clock:   clock,
		done:    make(chan struct{}),
	}
	for _, ac := range cfg.Accounts {
		e.accounts = append(e.accounts, newAccount(e, ac))
	}
	for _, a := range e.accounts {
		e.workers.Add(1)
		go func() {
			defer e.workers.Done()
			a.work(e.done)
		}()
	}
	return e, nil
}

// Close stops the batch workers and waits for them (at most a few seconds).
// Jobs still pending or processing stay so in the state, and resume if that
// state is restored into a new engine. Single calls keep working after Close;
// new batches are refused with 5003. Close may be called more than once.
func (e *Engine) Close() {
	e.closeOnce.Do(func() { close(e.done) })
	finished := make(chan struct{})
	go func() {
		e.workers.Wait()
		close(finished)
	}()
	timer := time.NewTimer(closeTimeout)
	defer timer.Stop()
	select {
	case <-finished:
	case <-timer.C:
	}
}

func (e *Engine) closed() bool {
	select {
	case <-e.done:
		return true
	default:
		return false
	}
}

// Authenticate finds the account whose apiKey this is. Every account's key
// is compared, in constant time over equal-length digests, so neither the
// time taken nor an early exit reveals which key came close or matched.
func (e *Engine) Authenticate(apiKey string) (*Account, bool) {
	digest := sha256.Sum256([]byte(apiKey))
	found := -1
	for i, a := range e.accounts {
		match := subtle.ConstantTimeCompare(digest[:], a.apiKeyDigest[:])
		notYet := subtle.ConstantTimeEq(int32(found), -1)
		found = subtle.ConstantTimeSelect(match&notYet, i, found)
	}
	if found < 0 {
		return nil, false
	}
	return e.accounts[found], true
}

// Clock is the clock the engine reads time from.
func (e *Engine) Clock() Clock { return e.clock }

// Program is a copy of the loyalty program the engine runs.
func (e *Engine) Program() Program { return cloneProgram(e.program) }

// Accounts lists the accounts in configuration order.
func (e *Engine) Accounts() []*Account { return slices.Clone(e.accounts) }

// Account finds an account by its configured name.
func (e *Engine) Account(name string) (*Account, bool) {
	for _, a := range e.accounts {
		if a.name == name {
			return a, true
		}
	}
	return nil, false
}

// Reset empties an account (by name; "" for every account): customers,
// ledger, batch jobs, and counters, so ids start at 1 again. Jobs running in
// it stop at their next item. An unknown name resets nothing.
func (e *Engine) Reset(account string) {
	for _, a := range e.accounts {
		if account != "" && a.name != account {
			continue
		}
		a.mu.Lock()
		a.book = newBook(&e.program)
		e.changed()
		a.mu.Unlock()
		a.wakeWorker()
	}
}

func cloneProgram(p Program) Program {
	p.Tiers = slices.Clone(p.Tiers)
	p.CustomRates = slices.Clone(p.CustomRates)
	p.Campaigns = slices.Clone(p.Campaigns)
	return p
}
