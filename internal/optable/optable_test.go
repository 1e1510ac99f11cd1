package optable

import "testing"

func TestLookups(t *testing.T) {
	cases := []struct {
		name string
		find func() (Operation, bool)
		want string // "" for none
	}{
		{"by request", func() (Operation, bool) { return Find("GET", "/api/v4.0/integrations/batches/4821/status") }, "getBatchStatus"},
		{"a request with an empty parameter", func() (Operation, bool) { return Find("GET", "/api/v4.0/integrations/batches//status") }, ""},
		{"a request with a method the path lacks", func() (Operation, bool) { return Find("DELETE", "/api/v4.0/integrations/transactions/cashback") }, ""},
		{"by operationId", func() (Operation, bool) { return ByID("stopBatch") }, "stopBatch"},
		{"by operationId, another case", func() (Operation, bool) { return ByID("StopBatch") }, ""},
		{"by Go name", func() (Operation, bool) { return ByGoName("RewardCashbackBatch") }, "rewardCashbackBatch"},
		{"by an unknown Go name", func() (Operation, bool) { return ByGoName("ReverseCashback") }, ""},
	}
	for _, c := range cases {
		op, ok := c.find()
		if ok != (c.want != "") || op.ID != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, op.ID, ok, c.want)
		}
	}
}

func TestFill(t *testing.T) {
	op, _ := ByID("getCustomerBalance")
	if got, want := op.Fill("cust_1"), "/api/v4.0/integrations/customers/cust_1/balance"; got != want || !op.HasParam() {
		t.Errorf("Fill: %q, HasParam %v; want %q, true", got, op.HasParam(), want)
	}
	if op.Body {
		t.Errorf("getCustomerBalance takes no body, the table says it does")
	}
	op, _ = ByID("rewardCashback")
	if !op.Body {
		t.Errorf("rewardCashback takes a body, the table says it does not")
	}
	if got := op.Fill("x"); got != op.Path || op.HasParam() {
		t.Errorf("Fill without a parameter: %q, HasParam %v", got, op.HasParam())
	}
}

// TestTableIsSortedAndComplete: IDs are sorted and unique, every row has
// its method, path, a 200 among its statuses and the apikey header.
func TestTableIsSortedAndComplete(t *testing.T) {
	ids := IDs()
	for i, op := range All {
		if i > 0 && ids[i-1] >= ids[i] {
			t.Errorf("%s after %s: not sorted or not unique", ids[i], ids[i-1])
		}
		if op.Method == "" || op.Path == "" || len(op.Statuses) == 0 || op.Statuses[0] != 200 || !op.Needs("apikey") {
			t.Errorf("%s: incomplete row %+v", op.ID, op)
		}
	}
}
