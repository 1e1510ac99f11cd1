package mockserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/gbkit/gameball-go/client"
	"github.com/gbkit/gameball-go/internal/syncbuf"
	"github.com/gbkit/gameball-go/mockserver"
	"github.com/gbkit/gameball-go/mockserver/control"
)

// TestJournalFilters checks each filter of listJournal on one recorded session.
func TestJournalFilters(t *testing.T) {
	m := startQA(t, mockserver.Options{}, nil)
	ctx := context.Background()
	for i, c := range []string{"alice", "bob", "alice"} {
		if res, err := m.gb.RewardCashbackWithResponse(ctx, cashbackBody(c, fmt.Sprintf("J-%d", i), 10)); err != nil || res.StatusCode() != 200 {
			t.Fatal(err)
		}
	}
	m.gb2.GetCustomerBalanceWithResponse(ctx, "carol", nil)                                                      // 404, second account
	m.gb.RewardCashbackWithBodyWithResponse(ctx, "application/json", strings.NewReader(`{"customerId":"dave",`)) // 400, malformed

	tests := []struct {
		name   string
		params control.ListJournalParams
		want   []string // request paths' last segments or customers, newest first
	}{
		{"everything", control.ListJournalParams{}, []string{"dave", "carol", "alice", "bob", "alice"}},
		{"by operation", control.ListJournalParams{Operation: new("rewardCashback")}, []string{"alice", "bob", "alice"}},
		{"by customer in the body", control.ListJournalParams{CustomerID: new("alice")}, []string{"alice", "alice"}},
		{"by customer in the path", control.ListJournalParams{CustomerID: new("carol")}, []string{"carol"}},
		{"by customer in a body that failed to parse", control.ListJournalParams{CustomerID: new("dave")}, []string{}},
		{"by account", control.ListJournalParams{Account: new("second")}, []string{"carol"}},
		{"by status", control.ListJournalParams{Status: new(400)}, []string{"dave"}},
		{"limited", control.ListJournalParams{Limit: new(2)}, []string{"dave", "carol"}},
		{"combined", control.ListJournalParams{Operation: new("rewardCashback"), CustomerID: new("bob")}, []string{"bob"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := m.ctl.ListJournalWithResponse(ctx, &tt.params)
			if err != nil || res.JSON200 == nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, e := range res.JSON200.Entries {
				switch {
				case e.CustomerIDs != nil:
					got = append(got, strings.Join(*e.CustomerIDs, "+"))
				case strings.Contains(fmt.Sprint(e.RequestBody), "dave"):
					got = append(got, "dave")
				default:
					got = append(got, "?")
				}
			}
			if !sameJSON(got, tt.want) {
				t.Fatalf("entries %v, want %v", got, tt.want)
			}
		})
	}
}

// TestJournalKeepsTheLastN checks the ring, long bodies, text bodies, and a
// journal turned off.
func TestJournalKeepsTheLastN(t *testing.T) {
	ctx := context.Background()
	t.Run("ring", func(t *testing.T) {
		m := startQA(t, mockserver.Options{JournalSize: 3}, nil)
		for i := range 5 {
			m.gb.GetCustomerBalanceWithResponse(ctx, fmt.Sprintf("c%d", i), nil)
		}
		res, _ := m.ctl.ListJournalWithResponse(ctx, nil)
		j := res.JSON200
		if j.Capacity != 3 || j.Total != 5 || len(j.Entries) != 3 || (*j.Entries[0].CustomerIDs)[0] != "c4" || (*j.Entries[2].CustomerIDs)[0] != "c2" {
			t.Fatalf("journal %s", res.Body)
		}
	})
	t.Run("bodies", func(t *testing.T) {
		m := startQA(t, mockserver.Options{}, nil)
		items := make([]client.CashbackBatchItem, 1000)
		for i := range items {
			items[i] = client.CashbackBatchItem{CustomerID: fmt.Sprintf("batch_customer_%04d", i), TransactionID: fmt.Sprintf("BIG-%04d", i), Amount: 1, TransactionTime: cashbackBody("", "", 0).TransactionTime}
		}
		if res, err := m.gb.RewardCashbackBatchWithResponse(ctx, client.RewardCashbackBatchRequest{Body: items}); err != nil || res.StatusCode() != 200 {
			t.Fatal(err)
		}
		m.gb.RewardCashbackWithBodyWithResponse(ctx, "text/plain", strings.NewReader("just text"))
		res, _ := m.ctl.ListJournalWithResponse(ctx, nil)
		text, batch := res.JSON200.Entries[0], res.JSON200.Entries[1]
		if text.Status != 415 || text.RequestBody != "just text" || text.RequestBodyTruncated != nil {
			t.Fatalf("text body entry: %+v", text)
		}
		if !deref(batch.RequestBodyTruncated) || batch.CustomerIDs == nil || len(*batch.CustomerIDs) != 1000 {
			t.Fatalf("batch entry: truncated %v, %d customers", batch.RequestBodyTruncated, len(deref(batch.CustomerIDs)))
		}
		if s, ok := batch.RequestBody.(string); !ok || len(s) > 64<<10 {
			t.Fatalf("a truncated body is shown as text of at most 64 KiB, got %T", batch.RequestBody)
		}
	})
	t.Run("off", func(t *testing.T) {
		m := startQA(t, mockserver.Options{JournalSize: -1}, nil)
		m.gb.GetCustomerBalanceWithResponse(ctx, "c", nil)
		res, _ := m.ctl.ListJournalWithResponse(ctx, nil)
		if res.JSON200 == nil || len(res.JSON200.Entries) != 0 || res.JSON200.Capacity != 0 {
			t.Fatalf("journal off: %s", res.Body)
		}
	})
}

// TestSecretsNeverShow sends secret keys and the admin key everywhere a
// request can carry them (headers, body fields, body values, text, the
// path) and checks that neither the answers' error messages, nor the
// journal, nor the debug log show any of them.
func TestSecretsNeverShow(t *testing.T) {
	const adminKey = "adm1n-k3y-never-shown"
	cfg := twoAccounts()
	secret, secret2 := cfg.Accounts[0].SecretKey, cfg.Accounts[1].SecretKey
	secrets := []string{secret, secret2, adminKey}

	tests := []struct {
		name    string
		secrets []string // Options.Secrets
	}{
		{"with the secrets listed, as gameball-mock runs", []string{secret, secret2}},
		{"without, by digest", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := &syncbuf.Buffer{}
			logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			m := startQA(t, mockserver.Options{AdminKey: adminKey, Secrets: tt.secrets, Logger: logger}, nil)
			ctx := context.Background()
			var answers []string
			send := func(method, path, contentType, body string, headers map[string]string) {
				req, err := http.NewRequest(method, m.url+path, strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", contentType)
				req.Header.Set("apikey", cfg.Accounts[0].APIKey)
				req.Header.Set("secretkey", secret)
				for k, v := range headers {
					req.Header.Set(k, v)
				}
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				var b bytes.Buffer
				b.ReadFrom(res.Body)
				res.Body.Close()
				answers = append(answers, b.String())
			}
			cashback := `{"customerId":%q,"transactionId":%q,"transactionTime":"2024-10-11T10:48:56Z","amount":1%s}`
			send("POST", "/api/v4.0/integrations/transactions/cashback", "application/json",
				fmt.Sprintf(cashback, secret, "S-1", ""), map[string]string{"X-Mock-Admin-Key": adminKey, "Authorization": "Bearer " + adminKey})
			send("POST", "/api/v4.0/integrations/transactions/cashback", "application/json",
				fmt.Sprintf(cashback, "c1", "S-2", `,"secretKey":"`+secret2+`","merchant":{"name":"key `+secret+` inside"}`), nil)
			send("POST", "/api/v4.0/integrations/transactions/cashback", "application/json",
				fmt.Sprintf(cashback, "c1", "S-3", `,"amount":"`+adminKey+`"`), nil)
			send("GET", "/api/v4.0/integrations/customers/"+secret2+"/balance", "", "", nil)
			send("POST", "/api/v4.0/integrations/transactions/cashback", "text/plain", "my secret is "+secret, nil)
			send("POST", "/api/v4.0/integrations/transactions/cashback", "application/json", `{"customerId":"`+adminKey+`",`, nil)

			journal, err := m.ctl.ListJournalWithResponse(ctx, nil)
			if err != nil || journal.JSON200 == nil || len(journal.JSON200.Entries) != 6 {
				t.Fatalf("journal: %v %s", err, bodyOf(journal, func(r *control.ListJournalResponse) []byte { return r.Body }))
			}
			shown := map[string]string{"the journal": string(journal.Body), "the log": logs.String()}
			for i, a := range answers {
				var e struct{ Message string }
				if json.Unmarshal([]byte(a), &e) == nil {
					shown[fmt.Sprintf("answer %d's error message", i)] = e.Message
				}
			}
			for where, text := range shown {
				for _, s := range secrets {
					if strings.Contains(text, s) {
						t.Errorf("%s shows the secret %q:\n%s", where, s, text)
					}
				}
			}
			if !strings.Contains(string(journal.Body), `"Secretkey":"[REDACTED]"`) || !strings.Contains(string(journal.Body), `"Apikey":"[REDACTED]"`) ||
				!strings.Contains(string(journal.Body), `"account":"default"`) {
				t.Errorf("the journal should redact the key headers and name the account:\n%s", journal.Body)
			}
		})
	}
}
