package mockserver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	middleware "github.com/oapi-codegen/nethttp-middleware"

	"github.com/gbkit/gameball-go/internal/controlserver"
	"github.com/gbkit/gameball-go/internal/errcode"
	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver/control"
	"github.com/gbkit/gameball-go/spec/controldoc"
)

// AdminKeyHeader carries the admin key to the control API.
const AdminKeyHeader = control.AdminKeyHeader

var errAdminKey = newError(errcode.Unauthorized, AdminKeyHeader+" header is missing or wrong (this server was started with an admin key)")

// newControl builds the control API: the generated routes over the
// hand-written handlers, behind a validator of the control document that
// also checks the admin key.
func (s *Server) newControl() (*openapi3.T, http.Handler, error) {
	doc, err := controldoc.Load()
	if err != nil {
		return nil, nil, err
	}
	strict := controlserver.NewStrictHandlerWithOptions(&controlHandlers{s: s}, nil, controlserver.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeError(w, r, decodeError(err))
		},
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeError(w, r, asAPIError(err))
		},
	})
	routes := controlserver.HandlerWithOptions(strict, controlserver.StdHTTPServerOptions{
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeError(w, r, newError(errcode.InvalidValue, "%v", err))
		},
	})
	opts := openapi3filter.Options{
		IncludeResponseStatus: true,
		AuthenticationFunc:    s.authenticateAdmin,
	}
	validator := middleware.OapiRequestValidatorWithOptions(doc, &middleware.Options{
		Options:               opts,
		DoNotValidateServers:  true,
		SilenceServersWarning: true,
		// A state to load may be hundreds of megabytes: the value the
		// validator decoded is let go, not kept on the body for binding.
		DiscardValidatedValue: true,
		ErrorHandlerWithOpts: func(_ context.Context, err error, w http.ResponseWriter, r *http.Request, _ middleware.ErrorHandlerOpts) {
			if _, ok := errors.AsType[*openapi3filter.SecurityRequirementsError](err); ok {
				writeError(w, r, errAdminKey)
				return
			}
			if reqErr, ok := errors.AsType[*openapi3filter.RequestError](err); ok && reqErr.Parameter != nil {
				reason := reqErr.Reason
				if schemaErr, ok := errors.AsType[*openapi3.SchemaError](reqErr.Err); ok {
					reason = schemaErr.Reason
				} else if reqErr.Err != nil {
					reason = reqErr.Err.Error()
				}
				writeError(w, r, newError(errcode.InvalidValue, "%s parameter %s: %s", reqErr.Parameter.In, reqErr.Parameter.Name, reason))
				return
			}
			writeError(w, r, validationError(r, err))
		},
	})
	return doc, validator(refuseMalformedBody(routes)), nil
}

// serveControl answers a control API request. The dashboard has a short
// address too: /_mock and /_mock/ lead to it.
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/_mock", ControlPrefix:
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			http.Redirect(w, r, ControlPrefix+"ui", http.StatusFound)
			return
		}
	case ControlPrefix + "ui":
		// The page loads nothing from anywhere: say so to the browser.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'")
		w.Header().Set("Cache-Control", "no-store")
	}
	s.control.ServeHTTP(w, r)
}

// authenticateAdmin checks the admin key, in constant time, when the server
// has one.
func (s *Server) authenticateAdmin(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if s.adminKey == nil {
		return nil
	}
	digest := sha256.Sum256([]byte(in.RequestValidationInput.Request.Header.Get(AdminKeyHeader)))
	if subtle.ConstantTimeCompare(digest[:], s.adminKey[:]) != 1 {
		return errAdminKey
	}
	return nil
}

// controlHandlers implements the generated control StrictServerInterface.
type controlHandlers struct {
	s *Server
}

var _ controlserver.StrictServerInterface = (*controlHandlers)(nil)

func (h *controlHandlers) GetHealth(context.Context, controlserver.GetHealthRequestObject) (controlserver.GetHealthResponseObject, error) {
	return controlserver.GetHealth200JSONResponse{Status: control.HealthOK}, nil
}

func (h *controlHandlers) GetReadiness(context.Context, controlserver.GetReadinessRequestObject) (controlserver.GetReadinessResponseObject, error) {
	// Not ready while the state file cannot be saved: acknowledged
	// changes would be lost at exit.
	out := control.Readiness{Ready: h.s.readiness.ready(), Accounts: len(h.s.engine.Accounts())}
	if path := h.s.readiness.file(); path != "" {
		out.StateFile = new(path)
	}
	if !out.Ready {
		return controlserver.GetReadiness503JSONResponse(out), nil
	}
	return controlserver.GetReadiness200JSONResponse(out), nil
}

func (h *controlHandlers) GetDashboard(context.Context, controlserver.GetDashboardRequestObject) (controlserver.GetDashboardResponseObject, error) {
	return controlserver.GetDashboard200TextHTMLResponse{Body: bytes.NewReader(dashboardHTML), ContentLength: int64(len(dashboardHTML))}, nil
}

func (h *controlHandlers) Reset(_ context.Context, req controlserver.ResetRequestObject) (controlserver.ResetResponseObject, error) {
	if name := req.Params.Account; name != nil {
		a, err := h.s.account(*name)
		if err != nil {
			return nil, err
		}
		h.s.engine.Reset(a.Name())
		return controlserver.Reset200JSONResponse{Accounts: []string{a.Name()}}, nil
	}
	out := controlserver.Reset200JSONResponse{Accounts: []string{}}
	h.s.engine.Reset("")
	for _, a := range h.s.engine.Accounts() {
		out.Accounts = append(out.Accounts, a.Name())
	}
	if err := h.s.setClockOffset(0); err == nil {
		out.Clock = true
	}
	out.Faults = h.s.faults.clear()
	if h.s.journal != nil {
		h.s.journal.clear()
		out.Journal = true
	}
	return out, nil
}

func (h *controlHandlers) Seed(_ context.Context, req controlserver.SeedRequestObject) (controlserver.SeedResponseObject, error) {
	body, err := requireBody(req.Body)
	if err != nil {
		return nil, err
	}
	seeded, err := h.s.Seed(body)
	if err != nil {
		return nil, err
	}
	out := controlserver.Seed200JSONResponse{Customers: make([]control.SeededCustomer, 0, len(seeded))}
	for _, c := range seeded {
		out.Customers = append(out.Customers, control.SeededCustomer{Account: c.Account, Customer: customerView(c.Customer)})
	}
	return out, nil
}

func (h *controlHandlers) GetState(context.Context, controlserver.GetStateRequestObject) (controlserver.GetStateResponseObject, error) {
	return stateResponse(h.s.DumpState()), nil
}

// stateResponse writes a SavedState as it is: the generated MockState has
// the same JSON form (the control tests check it against the schema).
type stateResponse SavedState

func (r stateResponse) VisitGetStateResponse(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	return json.NewEncoder(w).Encode(SavedState(r))
}

func (h *controlHandlers) PutState(_ context.Context, req controlserver.PutStateRequestObject) (controlserver.PutStateResponseObject, error) {
	body, err := requireBody(req.Body)
	if err != nil {
		return nil, err
	}
	var st SavedState
	if err := convertJSON(body, &st); err != nil {
		return nil, newError(errcode.InvalidValue, "state: %v", err)
	}
	if err := h.s.LoadState(st); err != nil {
		return nil, err
	}
	return controlserver.PutState204Response{}, nil
}

func (h *controlHandlers) GetClock(context.Context, controlserver.GetClockRequestObject) (controlserver.GetClockResponseObject, error) {
	return controlserver.GetClock200JSONResponse(h.s.clockView()), nil
}

func (h *controlHandlers) SetClock(_ context.Context, req controlserver.SetClockRequestObject) (controlserver.SetClockResponseObject, error) {
	body, err := requireBody(req.Body)
	if err != nil {
		return nil, err
	}
	if err := h.s.setClock(body.Now); err != nil {
		return nil, err
	}
	return controlserver.SetClock200JSONResponse(h.s.clockView()), nil
}

func (h *controlHandlers) AdvanceClock(_ context.Context, req controlserver.AdvanceClockRequestObject) (controlserver.AdvanceClockResponseObject, error) {
	body, err := requireBody(req.Body)
	if err != nil {
		return nil, err
	}
	d, err := parseDuration(body.By)
	if err != nil {
		return nil, newError(errcode.InvalidValue, "by: %q is not a duration (72h, 30m, 3d, 1d12h, -1h)", body.By)
	}
	if err := h.s.advanceClock(d); err != nil {
		return nil, err
	}
	return controlserver.AdvanceClock200JSONResponse(h.s.clockView()), nil
}

func (h *controlHandlers) ResetClock(context.Context, controlserver.ResetClockRequestObject) (controlserver.ResetClockResponseObject, error) {
	if err := h.s.setClockOffset(0); err != nil {
		return nil, err
	}
	return controlserver.ResetClock200JSONResponse(h.s.clockView()), nil
}

func (h *controlHandlers) ListFaults(context.Context, controlserver.ListFaultsRequestObject) (controlserver.ListFaultsResponseObject, error) {
	return controlserver.ListFaults200JSONResponse(h.s.faults.list()), nil
}

func (h *controlHandlers) CreateFault(_ context.Context, req controlserver.CreateFaultRequestObject) (controlserver.CreateFaultResponseObject, error) {
	body, err := requireBody(req.Body)
	if err != nil {
		return nil, err
	}
	if body.Account != nil {
		if _, err := h.s.account(*body.Account); err != nil {
			return nil, newError(errcode.InvalidValue, "account: %v", err)
		}
	}
	rule, err := compileFault(body)
	if err != nil {
		return nil, err
	}
	return controlserver.CreateFault201JSONResponse(h.s.faults.add(rule)), nil
}

func (h *controlHandlers) GetFault(_ context.Context, req controlserver.GetFaultRequestObject) (controlserver.GetFaultResponseObject, error) {
	rule, ok := h.s.faults.get(req.ID)
	if !ok {
		return nil, errFaultNotFound(req.ID)
	}
	return controlserver.GetFault200JSONResponse(rule), nil
}

func (h *controlHandlers) DeleteFault(_ context.Context, req controlserver.DeleteFaultRequestObject) (controlserver.DeleteFaultResponseObject, error) {
	if !h.s.faults.remove(req.ID) {
		return nil, errFaultNotFound(req.ID)
	}
	return controlserver.DeleteFault204Response{}, nil
}

func (h *controlHandlers) ClearFaults(context.Context, controlserver.ClearFaultsRequestObject) (controlserver.ClearFaultsResponseObject, error) {
	h.s.faults.clear()
	return controlserver.ClearFaults204Response{}, nil
}

func errFaultNotFound(id string) *apiError {
	return newError(errcode.NotFound, "fault rule %q not found", id)
}

func (h *controlHandlers) ListJournal(_ context.Context, req controlserver.ListJournalRequestObject) (controlserver.ListJournalResponseObject, error) {
	if h.s.journal == nil {
		return controlserver.ListJournal200JSONResponse{Entries: []control.JournalEntry{}}, nil
	}
	p := req.Params
	f := journalFilter{
		operation: deref(p.Operation), customerID: deref(p.CustomerID), account: deref(p.Account),
		status: p.Status, limit: deref(p.Limit),
	}
	return controlserver.ListJournal200JSONResponse(h.s.journal.list(f, h.s.redact)), nil
}

func (h *controlHandlers) ClearJournal(context.Context, controlserver.ClearJournalRequestObject) (controlserver.ClearJournalResponseObject, error) {
	if h.s.journal != nil {
		h.s.journal.clear()
	}
	return controlserver.ClearJournal204Response{}, nil
}

func (h *controlHandlers) ListAccounts(context.Context, controlserver.ListAccountsRequestObject) (controlserver.ListAccountsResponseObject, error) {
	out := controlserver.ListAccounts200JSONResponse{}
	for _, a := range h.s.engine.Accounts() {
		batches := a.Batches()
		active := 0
		for _, b := range batches {
			if b.State == loyalty.BatchPending || b.State == loyalty.BatchProcessing {
				active++
			}
		}
		out = append(out, control.AccountSummary{Name: a.Name(), Customers: len(a.Customers()), Batches: len(batches), ActiveBatches: active})
	}
	return out, nil
}

func (h *controlHandlers) ListCustomers(_ context.Context, req controlserver.ListCustomersRequestObject) (controlserver.ListCustomersResponseObject, error) {
	a, err := h.s.account(req.Account)
	if err != nil {
		return nil, err
	}
	out := controlserver.ListCustomers200JSONResponse{}
	for _, c := range a.Customers() {
		out = append(out, customerView(c))
	}
	return out, nil
}

func (h *controlHandlers) GetCustomer(_ context.Context, req controlserver.GetCustomerRequestObject) (controlserver.GetCustomerResponseObject, error) {
	a, err := h.s.account(req.Account)
	if err != nil {
		return nil, err
	}
	ledger, err := a.Ledger(req.CustomerID)
	if err != nil {
		return nil, err
	}
	var view *loyalty.CustomerView
	for _, c := range a.Customers() {
		if c.ID == req.CustomerID || slices.Contains(c.Aliases, req.CustomerID) {
			view = &c
			break
		}
	}
	if view == nil { // reset between the two reads
		return nil, newError(errcode.CustomerNotFound, "customer %q not found", req.CustomerID)
	}
	holds, err := a.Holds(view.ID)
	if err != nil {
		return nil, err
	}
	out := controlserver.GetCustomer200JSONResponse{Customer: customerView(*view), Ledger: []control.LedgerEntry{}, Holds: []control.CustomerHold{}}
	if err := convertJSON(ledger, &out.Ledger); err != nil {
		return nil, err
	}
	for _, h := range holds {
		out.Holds = append(out.Holds, control.CustomerHold{
			Reference: h.Reference, Points: h.Points, State: control.CustomerHoldState(h.State),
			CreatedAt: h.CreatedAt, ExpiresAt: h.ExpiresAt, RedeemedBy: nonEmpty(h.RedeemedBy),
		})
	}
	return out, nil
}

func (h *controlHandlers) ListBatches(_ context.Context, req controlserver.ListBatchesRequestObject) (controlserver.ListBatchesResponseObject, error) {
	a, err := h.s.account(req.Account)
	if err != nil {
		return nil, err
	}
	out := controlserver.ListBatches200JSONResponse{}
	for _, b := range a.Batches() {
		out = append(out, control.Batch{
			ID: b.ID, Kind: control.BatchKind(b.Kind), State: control.BatchState(b.State),
			TotalItems: b.TotalItems, ProcessedItems: b.ProcessedItems, FailedItems: b.FailedItems,
			Progress: b.Progress(), Message: nonEmpty(b.Message), SubmittedAt: b.SubmittedAt,
		})
	}
	return out, nil
}

// account finds a configured account by name (4004 with the names there are).
func (s *Server) account(name string) (*loyalty.Account, error) {
	if a, ok := s.engine.Account(name); ok {
		return a, nil
	}
	var names []string
	for _, a := range s.engine.Accounts() {
		names = append(names, a.Name())
	}
	return nil, newError(errcode.NotFound, "account %q is not configured (accounts: %s)", name, strings.Join(names, ", "))
}

func customerView(c loyalty.CustomerView) control.Customer {
	b := c.Balance
	out := control.Customer{
		ID: c.ID, Email: nonEmpty(c.Email), Mobile: nonEmpty(c.Mobile), Tier: nonEmpty(c.Tier),
		Balance: control.Balance{
			Total: b.TotalPoints, Available: b.AvailablePoints, Pending: b.PendingPoints, Held: b.HeldPoints, Earned: b.TotalEarnedPoints,
			TotalValue: b.TotalValue, AvailableValue: b.AvailableValue, PendingValue: b.PendingValue,
			Currency: b.Currency, PointsName: b.PointsName,
		},
	}
	if len(c.Aliases) > 0 {
		out.Aliases = new(slices.Clone(c.Aliases))
	}
	return out
}

// convertJSON copies between two types with the same JSON form (the engine's
// records and the control API's models).
func convertJSON(from, to any) error {
	data, err := json.Marshal(from)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(to)
}
