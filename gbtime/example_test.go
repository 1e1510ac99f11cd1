package gbtime_test

import (
	"encoding/json"
	"fmt"

	"github.com/gbkit/gameball-go/gbtime"
)

// Gameball answers date-times without a UTC offset; gbtime reads them as UTC
// and writes RFC 3339.
func ExampleTime() {
	var end gbtime.Time
	_ = json.Unmarshal([]byte(`"2024-11-01T08:39:00"`), &end)
	out, _ := json.Marshal(end)
	fmt.Println(end.Year(), end.Month(), string(out))
	// Output: 2024 November "2024-11-01T08:39:00Z"
}
