package mockserver

import "sync/atomic"

// readiness is what GET /_mock/ready answers: ready unless the program said
// it is shutting down (Server.SetReady) or the state file's last save
// failed (acknowledged changes would be lost at exit), and which state file
// keeps the state. The program and the StateFile each set their own part;
// the control API only reads.
type readiness struct {
	stopping    atomic.Bool            // SetReady(false)
	saveFailing atomic.Bool            // the StateFile's last save failed
	stateFile   atomic.Pointer[string] // the StateFile's path, once one is open
}

// ready reports whether the server should get requests.
func (r *readiness) ready() bool { return !r.stopping.Load() && !r.saveFailing.Load() }

// file is the state file's path; "" for none.
func (r *readiness) file() string {
	if p := r.stateFile.Load(); p != nil {
		return *p
	}
	return ""
}
