// Package gbtime holds the date-time type of Gameball's API.
//
// Gameball's documents declare date-times as RFC 3339 (format: date-time), but
// real responses carry values without a UTC offset, such as
// "2024-11-01T08:39:00". Go's time.Time and kin-openapi's date-time format both
// reject those. Time decodes both forms (a value without an offset is UTC, as
// Gameball documents transaction times to be) and always encodes RFC 3339.
package gbtime

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"
)

// Time is a Gameball date-time. The zero value encodes as "0001-01-01T00:00:00Z".
type Time struct {
	time.Time
}

// New wraps t.
func New(t time.Time) Time { return Time{Time: t} }

// Date is time.Date in UTC, for literals in tests and examples.
func Date(year int, month time.Month, day, hour, minute, second, nsec int) Time {
	return Time{Time: time.Date(year, month, day, hour, minute, second, nsec, time.UTC)}
}

// zoneless is RFC 3339's date-time without the offset: what Gameball answers.
const zoneless = "2006-01-02T15:04:05.999999999"

// Parse reads an RFC 3339 date-time, or one without a UTC offset (read as UTC).
func Parse(s string) (time.Time, error) {
	if !shape.MatchString(s) {
		return time.Time{}, fmt.Errorf("gbtime: %q is not a date-time (want RFC 3339, e.g. 2024-11-01T08:39:00Z, or without the offset)", s)
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation(zoneless, s, time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("gbtime: %q is not a date-time: %w", s, err)
	}
	return t, nil
}

// shape is kin-openapi's RFC 3339 date-time pattern with the offset optional.
// time.Parse alone is laxer (it takes a one-digit hour, for one).
var shape = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?$`)

// Validate is Parse for validators that want only the verdict, such as
// kin-openapi's string format validators.
func Validate(s string) error {
	_, err := Parse(s)
	return err
}

// String formats t as RFC 3339 with the fraction it has.
func (t Time) String() string { return t.Time.Format(time.RFC3339Nano) }

// MarshalText encodes RFC 3339.
func (t Time) MarshalText() ([]byte, error) {
	if y := t.Year(); y < 0 || y > 9999 {
		return nil, errors.New("gbtime: year outside of 0..9999")
	}
	return []byte(t.String()), nil
}

// UnmarshalText decodes RFC 3339 or a date-time without an offset.
func (t *Time) UnmarshalText(b []byte) error {
	parsed, err := Parse(string(b))
	if err != nil {
		return err
	}
	t.Time = parsed
	return nil
}

// MarshalJSON encodes a JSON string in RFC 3339.
func (t Time) MarshalJSON() ([]byte, error) {
	text, err := t.MarshalText()
	if err != nil {
		return nil, err
	}
	return append(append([]byte{'"'}, text...), '"'), nil
}

// UnmarshalJSON decodes a JSON string in RFC 3339 or without an offset. A
// JSON null leaves t unchanged, as encoding/json does for time.Time.
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("gbtime: date-time must be a JSON string, got %s", b)
	}
	return t.UnmarshalText([]byte(s))
}
