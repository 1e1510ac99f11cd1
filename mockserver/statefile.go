package mockserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// DefaultStateDebounce is how long StateFile lets changes gather before it
// saves them.
const DefaultStateDebounce = 250 * time.Millisecond

// saveRetryInterval is how long StateFile waits to try again after a save
// failed, changes or not.
const saveRetryInterval = time.Second

// StateFile keeps a server's state in a file: loaded once when opened, then
// saved after changes (at most once per debounce interval while changes keep
// coming) and when closed. Every save is atomic: the state is written to a
// temporary file beside the target, synced, renamed over it, and the
// directory synced, so a kill at any moment leaves either the previous file
// or the new one, whole.
type StateFile struct {
	path     string
	server   *Server    // whose state it loads and saves
	ready    *readiness // the server's, whose save-failing part it sets
	debounce time.Duration
	logger   *slog.Logger

	kick chan struct{}
	stop chan struct{}
	done chan struct{}

	mu        sync.Mutex // one save at a time
	saved     bool
	lastCount uint64
	lastClock string
	failing   bool // the last save failed; readiness is false meanwhile

	closeOnce sync.Once
	closeErr  error
}

// OpenStateFile loads the state in path into s, when the file exists, and
// starts saving s's changes to it. A file that cannot be read, is not a
// gameball-mock state, is of another version, or does not fit s's
// configuration (an account it does not have) is refused with an error
// saying so, and left untouched. loaded reports whether a state was loaded.
// A missing file is written at the first change or Save (whether its
// directory takes files is checked now): call Save after seeding a fresh
// state, so a crash before the first change does not leave a file without
// the seed. Close the StateFile to save a last time.
func OpenStateFile(s *Server, path string, debounce time.Duration, logger *slog.Logger) (sf *StateFile, loaded bool, err error) {
	if debounce < 0 {
		debounce = 0
	}
	if logger == nil {
		logger = s.logger
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, false, err
	}
	f := &StateFile{
		path: abs, server: s, ready: &s.readiness, debounce: debounce, logger: logger,
		kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
	}
	removeStaleTemps(abs)
	data, err := os.ReadFile(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := checkWritable(filepath.Dir(abs), filepath.Base(abs)); err != nil {
			return nil, false, fmt.Errorf("state file %s: cannot create it: %w", path, err)
		}
	case err != nil:
		return nil, false, fmt.Errorf("state file %s: %w", path, err)
	default:
		st, err := DecodeState(data)
		if err == nil {
			err = s.LoadState(st)
		}
		if err != nil {
			return nil, false, fmt.Errorf("state file %s is refused: %v.\nIt was left as it is: fix it, move it away, or start with another -state file", path, err)
		}
		loaded = true
		f.lastCount, f.lastClock, f.saved = s.engine.ChangeCount(), s.clockOffsetText(), true
	}
	f.ready.stateFile.Store(&abs)
	s.Notify(f.kick)
	go f.run()
	return f, loaded, nil
}

// Path is the file's absolute path.
func (f *StateFile) Path() string { return f.path }

func (f *StateFile) run() {
	defer close(f.done)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var retry <-chan time.Time // set while saves fail
	for {
		select {
		case <-f.stop:
			return
		case <-retry:
		case <-f.kick:
			// Let the changes gather, then save them all; changes during
			// the save kick again, so none is left unsaved.
			timer.Reset(f.debounce)
			select {
			case <-f.stop:
				timer.Stop()
				return
			case <-timer.C:
			}
		}
		retry = nil
		if f.Save() != nil {
			retry = time.After(saveRetryInterval)
		}
	}
}

// Save writes the state now, unless nothing changed since the last save.
// While saves fail, the server is not ready (GET /_mock/ready answers 503),
// the first failure is logged and the next success too; the background
// saver keeps trying every saveRetryInterval.
func (f *StateFile) Save() (err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	defer func() {
		switch {
		case err != nil && !f.failing:
			f.failing = true
			f.ready.saveFailing.Store(true)
			f.logger.Error("saving the state failed: the changes since the last save are only in memory, and readiness is false until a save succeeds; retrying", "file", f.path, "every", saveRetryInterval, "err", err)
		case err == nil && f.failing:
			f.failing = false
			f.ready.saveFailing.Store(false)
			f.logger.Info("saving the state works again", "file", f.path)
		}
	}()
	// The count is read before the snapshot: a change racing the snapshot
	// moves the count past it, and the next save writes it.
	count, clock := f.server.engine.ChangeCount(), f.server.clockOffsetText()
	if f.saved && count == f.lastCount && clock == f.lastClock {
		return nil
	}
	data, err := json.MarshalIndent(f.server.DumpState(), "", " ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(f.path, append(data, '\n')); err != nil {
		return err
	}
	f.saved, f.lastCount, f.lastClock = true, count, clock
	return nil
}

// Close stops saving in the background and saves a last time. Stop the
// engine's batch workers first, so the last save has their last change.
func (f *StateFile) Close() error {
	f.closeOnce.Do(func() {
		f.stopSaving()
		f.closeErr = f.Save()
	})
	return f.closeErr
}

// Discard stops saving without a last save: for a start that fails after
// the file was opened, so a file that did not exist is not created.
func (f *StateFile) Discard() {
	f.closeOnce.Do(f.stopSaving)
}

func (f *StateFile) stopSaving() {
	f.server.StopNotify(f.kick)
	close(f.stop)
	<-f.done
}

// clockOffsetText is the clock's offset as saved; empty for a fixed clock.
func (s *Server) clockOffsetText() string {
	if _, err := s.movableClock(); err != nil {
		return ""
	}
	return s.clockOffset().String()
}

// writeFileAtomic replaces path with data: a temporary file in the same
// directory, written and synced, renamed over path, and the directory synced
// so the rename itself survives a crash.
func writeFileAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	tmp, err := os.CreateTemp(dir, tempPrefix(base)+"*"+tempSuffix)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	if dir == "" {
		dir = "."
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

const tempSuffix = ".tmp"

// checkWritable creates and removes a temporary file where saves will write theirs.
func checkWritable(dir, base string) error {
	tmp, err := os.CreateTemp(dir, tempPrefix(base)+"*"+tempSuffix)
	if err != nil {
		return err
	}
	_ = tmp.Close()
	return os.Remove(tmp.Name())
}

func tempPrefix(base string) string { return "." + base + "." }

// removeStaleTemps deletes the temporary files a killed save left beside
// path (and only those: the name is the file's own, dotted and suffixed).
func removeStaleTemps(path string) {
	dir, base := filepath.Split(path)
	entries, err := os.ReadDir(filepath.Clean(dir))
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(name, tempPrefix(base)) && strings.HasSuffix(name, tempSuffix) {
			_ = os.Remove(filepath.Join(dir, name))
		}
	}
}
