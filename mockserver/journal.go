package mockserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gbkit/gameball-go/internal/gameballserver"
	"github.com/gbkit/gameball-go/mockserver/control"
)

// DefaultJournalSize is how many exchanges the journal keeps by default.
const DefaultJournalSize = 500

// journalBodyLimit is how much of each request and response body the journal
// keeps; a 1,000-item batch is cut, and says so.
const journalBodyLimit = 64 << 10

// journal keeps the last Gameball API exchanges in a ring. Recording is
// cheap (the raw bytes and a few fields); decoding, redaction and customerId
// extraction happen once per record, when it is first read.
type journal struct {
	mu       sync.Mutex
	ring     []*record
	next     int   // where the next record goes
	total    int64 // records added since start or clear
	capacity int
}

func newJournal(capacity int) *journal {
	return &journal{ring: make([]*record, 0, capacity), capacity: capacity}
}

// capture keeps what the journal records of a Gameball API request: its
// body as sent (readBody has read it, even when the request is refused
// before anything else reads it), the start of the answer, and x.record,
// which adds the record once. A nil journal (turned off) captures nothing.
func (j *journal) capture(r *http.Request, rec *statusRecorder, x *exchange) {
	if j == nil {
		return
	}
	rec.capture = true
	x.record = func() { j.add(newRecord(r, x, rec)) }
}

func (j *journal) add(rec *record) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.total++
	if len(j.ring) < j.capacity {
		j.ring = append(j.ring, rec)
		return
	}
	j.ring[j.next] = rec
	j.next = (j.next + 1) % j.capacity
}

func (j *journal) clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ring, j.next, j.total = j.ring[:0], 0, 0
}

// newestFirst copies the records out, newest first.
func (j *journal) newestFirst() ([]*record, int64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]*record, 0, len(j.ring))
	for i := range len(j.ring) {
		out = append(out, j.ring[(j.next-1-i+2*len(j.ring))%len(j.ring)])
	}
	return out, j.total
}

// journalFilter selects entries; zero fields select everything.
type journalFilter struct {
	operation, customerID, account string
	status                         *int
	limit                          int
}

func (j *journal) list(f journalFilter, r *redactor) control.Journal {
	records, total := j.newestFirst()
	out := control.Journal{Entries: []control.JournalEntry{}, Capacity: j.capacity, Total: total}
	for _, rec := range records {
		if f.limit > 0 && len(out.Entries) >= f.limit {
			break
		}
		if (f.operation != "" && rec.operation != f.operation) ||
			(f.account != "" && rec.account != f.account) ||
			(f.status != nil && rec.status != *f.status) {
			continue
		}
		e := rec.entry(r)
		if f.customerID != "" && (e.CustomerIDs == nil || !slices.Contains(*e.CustomerIDs, f.customerID)) {
			continue
		}
		out.Entries = append(out.Entries, e)
	}
	return out
}

// record is one exchange as recorded. It never changes after add; its entry
// is worked out on first read.
type record struct {
	requestID     string
	at            time.Time
	method, path  string
	query         string
	operation     string
	account       string
	status        int
	latency       time.Duration
	errCode       int
	faults        []string
	closed        bool
	header        http.Header
	customers     []string // from the typed request, when the request got that far
	typed         bool
	reqBody       []byte
	reqTruncated  bool
	respBody      []byte
	respTruncated bool
	once          sync.Once
	decoded       control.JournalEntry
}

func newRecord(r *http.Request, x *exchange, rec *statusRecorder) *record {
	body := x.body
	out := &record{
		requestID:     x.requestID,
		at:            x.started.UTC(),
		method:        r.Method,
		path:          r.URL.Path,
		query:         r.URL.RawQuery,
		operation:     x.operation,
		status:        rec.answered(x),
		latency:       time.Since(x.started),
		faults:        x.faults,
		closed:        x.closed,
		header:        r.Header.Clone(),
		respBody:      rec.body,
		respTruncated: rec.truncated,
	}
	if x.account != nil {
		out.account = x.account.Name()
	}
	if x.request != nil {
		out.customers, out.typed = customerIDs(x.request), true
	}
	if x.err != nil {
		out.errCode = int(x.err.code)
	}
	if len(body) > journalBodyLimit {
		out.reqBody, out.reqTruncated = redactedCut(body, x.redact), true
	} else {
		out.reqBody = body
	}
	return out
}

// entry is the record as the control API shows it, redacted.
func (rec *record) entry(r *redactor) control.JournalEntry {
	rec.once.Do(func() {
		e := control.JournalEntry{
			RequestID:      rec.requestID,
			Time:           rec.at,
			Method:         rec.method,
			Path:           r.text(rec.path),
			Status:         rec.status,
			LatencyMs:      float64(rec.latency.Microseconds()) / 1000,
			RequestHeaders: r.headers(rec.header),
			Faults:         nonEmptySlice(rec.faults),
		}
		if rec.query != "" {
			e.Query = new(r.text(rec.query))
		}
		e.Operation = nonEmpty(rec.operation)
		e.Account = nonEmpty(rec.account)
		if rec.errCode != 0 {
			e.ErrorCode = new(rec.errCode)
		}
		if rec.closed {
			e.Closed = new(true)
		}
		e.RequestBody, e.RequestBodyTruncated = bodyValue(rec.reqBody, rec.reqTruncated, r)
		e.ResponseBody, e.ResponseBodyTruncated = bodyValue(rec.respBody, rec.respTruncated, r)
		ids := rec.customerIDs()
		for i := range ids {
			ids[i] = r.text(ids[i])
		}
		e.CustomerIDs = nonEmptySlice(ids)
		rec.decoded = e
	})
	return rec.decoded
}

// redactedCut is the start of a body too long to keep whole, redacted
// before it is cut: redacted after, a secret straddling the cut would keep
// its first part. A JSON body is redacted as a value (credential fields by
// name too) and shown re-encoded.
func redactedCut(body []byte, r *redactor) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err == nil && !dec.More() {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if enc.Encode(r.value(v)) == nil {
			body = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		}
	} else {
		body = []byte(r.text(strings.ToValidUTF8(string(body), "\uFFFD")))
	}
	if len(body) > journalBodyLimit {
		body = body[:journalBodyLimit]
	}
	return bytes.Clone(body)
}

// customerIDs are the customerIds an exchange names: from the typed request
// (path and body) when it got that far, else from the body as sent.
func (rec *record) customerIDs() []string {
	if rec.typed {
		return slices.Clone(rec.customers)
	}
	var v any
	if err := json.Unmarshal(rec.reqBody, &v); err != nil {
		return nil
	}
	var ids []string
	collectCustomerIDs(v, &ids)
	slices.Sort(ids)
	return ids
}

// bodyValue is a body for the journal: its JSON value when it is JSON, else
// its text; redacted either way.
func bodyValue(body []byte, truncated bool, r *redactor) (any, *bool) {
	if len(body) == 0 {
		return nil, nil
	}
	var flag *bool
	if truncated {
		flag = new(true)
	}
	if !truncated {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err == nil && !dec.More() {
			return r.value(v), flag
		}
	}
	text := string(body)
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	return r.text(text), flag
}

// customerIDs collects the customerIds in a typed request: its path
// parameter, its body's, its batch items', sorted, once each.
func customerIDs(request any) []string {
	var ids []string
	switch req := request.(type) {
	case nil:
		return nil
	case gameballserver.RewardCashbackRequestObject:
		if req.Body != nil {
			ids = append(ids, req.Body.CustomerID)
		}
	case gameballserver.AddManualTransactionRequestObject:
		if req.Body != nil {
			ids = append(ids, req.Body.CustomerID)
		}
	case gameballserver.CalculatePaymentCashbackRequestObject:
		if req.Body != nil && req.Body.CustomerID != "" {
			ids = append(ids, req.Body.CustomerID)
		}
	case gameballserver.GetCustomerBalanceRequestObject:
		ids = append(ids, req.CustomerID)
	case gameballserver.RewardCashbackBatchRequestObject:
		if req.Body != nil {
			for _, it := range req.Body.Body {
				ids = append(ids, it.CustomerID)
			}
		}
	case gameballserver.AdjustBalanceBatchRequestObject:
		if req.Body != nil {
			for _, it := range req.Body.Body {
				ids = append(ids, it.CustomerID)
			}
		}
	case gameballserver.GetBatchStatusRequestObject, gameballserver.StopBatchRequestObject:
		return nil
	default: // an operation this list does not know yet
		return customerIDsOf(request)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) > 0 && ids[0] == "" {
		ids = ids[1:]
	}
	return ids
}

// customerIDsOf finds the customerIds in any value by its JSON form.
func customerIDsOf(request any) []string {
	data, err := json.Marshal(request)
	if err != nil {
		return nil
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil
	}
	var ids []string
	collectCustomerIDs(v, &ids)
	slices.Sort(ids)
	return ids
}

func collectCustomerIDs(v any, into *[]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, field := range v {
			if s, ok := field.(string); ok && strings.EqualFold(k, "customerId") {
				if s != "" && !slices.Contains(*into, s) {
					*into = append(*into, s)
				}
				continue
			}
			collectCustomerIDs(field, into)
		}
	case []any:
		for _, item := range v {
			collectCustomerIDs(item, into)
		}
	}
}

func nonEmptySlice[T any](s []T) *[]T {
	if len(s) == 0 {
		return nil
	}
	return &s
}
