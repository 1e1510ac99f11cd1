package mockserver

import _ "embed"

// dashboardHTML is the dashboard at /_mock/ui: one page with its style and
// script inline, no build step and no external assets, that polls the
// control API.
//
//go:embed dashboard.html
var dashboardHTML []byte
