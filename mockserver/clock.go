package mockserver

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gbkit/gameball-go/internal/errcode"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver/control"
)

// movableClock is a clock the control API can move: loyalty.ShiftedClock
// (what gameball-mock runs on) and loyalty.FakeClock both are.
type movableClock interface {
	Set(time.Time)
	Advance(time.Duration)
}

// offsetClock knows its offset from real time exactly (loyalty.ShiftedClock).
type offsetClock interface {
	Offset() time.Duration
}

var errClockFixed = &apiError{
	status: 409, code: errcode.PreconditionFailed,
	message: "this server's clock cannot be moved: the program embedding the mock chose a fixed clock (gameball-mock runs on a movable one)",
}

func (s *Server) movableClock() (movableClock, error) {
	if c, ok := s.engine.Clock().(movableClock); ok {
		return c, nil
	}
	return nil, errClockFixed
}

// clockOffset is how far the engine's clock is ahead of real time.
func (s *Server) clockOffset() time.Duration {
	if c, ok := s.engine.Clock().(offsetClock); ok {
		return c.Offset()
	}
	return s.engine.Clock().Now().Sub(time.Now()).Round(time.Millisecond)
}

// clockMoves serialises the moves of movable clocks, so two advances that
// each fit the clock's range cannot together pass it between one's check
// and its move. Moves are rare (a tester's command), so one lock for every
// server in the process costs nothing.
var clockMoves sync.Mutex

// errClockRange refuses a time the clock cannot hold. A ShiftedClock keeps
// its offset from real time in int64 nanoseconds (±292 years) and would wrap
// (9999-12-31 read back as 2319, two long advances back in 2026), so the
// control API holds every move within loyalty's clock range.
func errClockRange(what string, t time.Time) *apiError {
	return newError(errcode.InvalidValue, "%s: %s is outside the clock's range, %s to %s",
		what, t.UTC().Format(time.RFC3339), loyalty.EarliestClockTime.Format(time.DateOnly), loyalty.LatestClockTime.Format(time.DateOnly))
}

// setClock moves the clock to t, within the clock's range.
func (s *Server) setClock(t time.Time) error {
	c, err := s.movableClock()
	if err != nil {
		return err
	}
	if !loyalty.ClockTimeInRange(t) {
		return errClockRange("now", t)
	}
	clockMoves.Lock()
	c.Set(t)
	clockMoves.Unlock()
	s.engine.ClockMoved()
	return nil
}

// advanceClock moves the clock by d: forward for a positive d, back for a
// negative one, never the other way round, and only to a time within the
// clock's range. The new time is worked out from the clock's own reading
// with time.Time's arithmetic, which does not wrap for any Duration.
func (s *Server) advanceClock(d time.Duration) error {
	c, err := s.movableClock()
	if err != nil {
		return err
	}
	clockMoves.Lock()
	defer clockMoves.Unlock()
	if target := s.engine.Clock().Now().Add(d); !loyalty.ClockTimeInRange(target) {
		return errClockRange("by", target)
	}
	c.Advance(d)
	s.engine.ClockMoved()
	return nil
}

// setClockOffset makes the clock run offset ahead of real time.
func (s *Server) setClockOffset(offset time.Duration) error {
	c, err := s.movableClock()
	if err != nil {
		return err
	}
	if t := time.Now().Add(offset); !loyalty.ClockTimeInRange(t) {
		return errClockRange("clockOffset", t)
	}
	clockMoves.Lock()
	if oc, ok := c.(offsetClock); ok {
		c.Advance(offset - oc.Offset())
	} else {
		c.Set(time.Now().Add(offset))
	}
	clockMoves.Unlock()
	s.engine.ClockMoved()
	return nil
}

func (s *Server) clockView() control.Clock {
	now, real := s.engine.Clock().Now().UTC(), time.Now().UTC()
	offset := s.clockOffset()
	_, movable := s.engine.Clock().(movableClock)
	return control.Clock{
		Now: now, RealNow: real,
		Offset: offset.String(), OffsetSeconds: offset.Seconds(),
		Adjustable: movable,
	}
}

// daysPrefix is the days of a duration like 3d or 1d12h, which Go's
// time.ParseDuration does not read.
var daysPrefix = regexp.MustCompile(`^([+-]?)(\d+)d(.*)$`)

// parseDuration reads a Go duration with an optional leading number of days:
// 72h, 30m, 3d, 1d12h, -2d.
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	m := daysPrefix.FindStringSubmatch(s)
	if m == nil {
		return time.ParseDuration(s)
	}
	days, err := strconv.ParseInt(m[2], 10, 64)
	if err != nil || days > 100*366 {
		return 0, fmt.Errorf("%q: too many days", s)
	}
	d := time.Duration(days) * 24 * time.Hour
	if m[3] != "" {
		rest, err := time.ParseDuration(m[3])
		if err != nil || rest < 0 || strings.HasPrefix(m[3], "+") {
			return 0, fmt.Errorf("%q is not a duration", s)
		}
		d += rest
	}
	if m[1] == "-" {
		d = -d
	}
	return d, nil
}

// Notify makes the server send to ch, without blocking, after every change
// of its state or its clock: loyalty.Engine.Notify, which the control API's
// clock moves wake too (Engine.ClockMoved).
func (s *Server) Notify(ch chan<- struct{}) { s.engine.Notify(ch) }

// StopNotify undoes Notify(ch).
func (s *Server) StopNotify(ch chan<- struct{}) { s.engine.StopNotify(ch) }
