package mockserver

import (
	"strings"
	"testing"

	"github.com/gbkit/gameball-go/internal/optable"
)

// TestDashboardListsTheOperationsTable: the fault form's datalist is the
// operations table, whatever it holds, and the marker is gone.
func TestDashboardListsTheOperationsTable(t *testing.T) {
	page := string(dashboardHTML)
	if strings.Contains(page, operationsMarker) || !strings.Contains(dashboardPage, operationsMarker) {
		t.Fatalf("the page's operations marker was not replaced once")
	}
	for _, op := range optable.All {
		if !strings.Contains(page, `<option value="`+op.ID+`">`) {
			t.Errorf("the dashboard does not offer %s", op.ID)
		}
	}
}
