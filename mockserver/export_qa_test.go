package mockserver

// SetFaultRandom replaces the fault rules' random numbers, so tests of
// probabilities and latency ranges are deterministic: roll answers in
// [0, 1), pick in [0, n).
func SetFaultRandom(s *Server, roll func() float64, pick func(n int64) int64) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.roll, s.faults.pick = roll, pick
}
