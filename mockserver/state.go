package mockserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
	"github.com/gbkit/gameball-go/loyalty"
)

// StateFormat names the kind of file a SavedState is.
const StateFormat = "gameball-mock-state"

// SavedState is a server's state as JSON: every account's data
// (loyalty.State) and the clock's offset. The -state file holds one, the
// control API's getState answers one and putState takes one, so a dump can
// be started from: `gameball-mock -state dump.json`. Its schema is
// MockState in spec/controldoc/mock-control.yaml.
type SavedState struct {
	Format  string `json:"format"`
	Version int    `json:"version"` // loyalty.StateVersion
	// SavedAt is when the state was written, in real time.
	SavedAt time.Time `json:"savedAt,omitzero"`
	// ClockOffset is how far the clock ran ahead of real time (a Go
	// duration); empty for a clock that cannot be moved.
	ClockOffset string                 `json:"clockOffset,omitempty"`
	Accounts    []loyalty.AccountState `json:"accounts"`
}

// DumpState is the server's state now.
func (s *Server) DumpState() SavedState {
	st := s.engine.Snapshot()
	out := SavedState{Format: StateFormat, Version: st.Version, SavedAt: time.Now().UTC(), Accounts: st.Accounts}
	if _, err := s.movableClock(); err == nil {
		out.ClockOffset = s.clockOffset().String()
	}
	return out
}

// LoadState replaces the server's state with st, checked whole first: when
// anything in it is inconsistent, nothing changes and the error says what
// and where. The clock's offset is restored when st has one and the clock
// can be moved.
func (s *Server) LoadState(st SavedState) error {
	var offset time.Duration
	if err := checkStateHeader(st); err != nil {
		return err
	}
	if st.ClockOffset != "" {
		d, err := time.ParseDuration(st.ClockOffset)
		if err != nil {
			return newError(errcode.InvalidValue, "clockOffset: %q is not a duration", st.ClockOffset)
		}
		offset = d
		// Checked before anything is restored, so a refusal changes nothing.
		if t := time.Now().Add(offset); !loyalty.ClockTimeInRange(t) {
			return errClockRange("clockOffset", t)
		}
	}
	if err := s.engine.Restore(loyalty.State{Version: st.Version, Accounts: st.Accounts}); err != nil {
		return err
	}
	if st.ClockOffset != "" {
		if _, err := s.movableClock(); err == nil {
			return s.setClockOffset(offset)
		}
	}
	return nil
}

func checkStateHeader(st SavedState) error {
	switch {
	case st.Format != StateFormat:
		return newError(errcode.InvalidValue, "format is %q, not %q: this is not a gameball-mock state", st.Format, StateFormat)
	case st.Version != loyalty.StateVersion:
		return newError(errcode.InvalidValue, "state version %d is not supported: this gameball-mock reads version %d", st.Version, loyalty.StateVersion)
	}
	return nil
}

// DecodeState reads a SavedState strictly: the data must be one JSON
// object of the right format and version with no unknown field, so a file
// from another program or another version is refused, not half read.
func DecodeState(data []byte) (SavedState, error) {
	var st SavedState
	if len(bytes.TrimSpace(data)) == 0 {
		return st, errors.New("it is empty")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		if syntax, ok := errors.AsType[*json.SyntaxError](err); ok {
			return st, fmt.Errorf("it is not valid JSON (at byte %d: %v)", syntax.Offset, err)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return st, errors.New("it is not valid JSON: it ends in the middle of a value")
		}
		return st, fmt.Errorf("it is not a gameball-mock state: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return st, errors.New("it is not valid JSON: there is more after the state object")
	}
	if err := checkStateHeader(st); err != nil {
		return st, err
	}
	return st, nil
}
