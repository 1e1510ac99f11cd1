package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gbkit/gameball-go/client"
)

// serveBare is the baseline: a bare net/http server with the mock's timeouts
// that decodes the reward cashback body into the same generated type and
// encodes the same result type, with no validation, no keys and no state.
// A body that does not decode gets a 422 with Gameball's error object, as
// the mock would answer.
func serveBare(stdout io.Writer) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	var ids atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+cashbackPath, func(w http.ResponseWriter, r *http.Request) {
		var req client.RewardCashbackRequest
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
			w.WriteHeader(http.StatusUnprocessableEntity)
			_ = json.NewEncoder(w).Encode(client.GameballError{Code: 3003, Type: "PayloadError", Message: err.Error()})
			return
		}
		points := int64(req.Amount)
		_ = json.NewEncoder(w).Encode(client.RewardCashbackResult{
			CustomerID:             req.CustomerID,
			GameballTransactionID:  ids.Add(1),
			RewardAmount:           float64(points) * 0.05,
			RewardEquivalentPoints: points,
		})
	})
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	fmt.Fprintln(stdout, ln.Addr().String())
	return srv.Serve(ln)
}
