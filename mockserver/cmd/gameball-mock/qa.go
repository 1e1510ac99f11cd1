package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
)

// qaFlags are the settings for the people who drive the mock from tests and
// browsers: the control API's admin key, CORS, the journal, the state file
// and fixtures. Each has an environment variable, like every flag.
type qaFlags struct {
	adminKey string
	cors     string
	journal  string
	state    string
	debounce string
	fixtures string
	hosts    string
}

func (q *qaFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&q.adminKey, "admin-key", env("GAMEBALL_MOCK_ADMIN_KEY", ""),
		"key the control API (/_mock/) requires in the X-Mock-Admin-Key header; empty leaves it open. Prefer the environment variable: flags show in ps (env GAMEBALL_MOCK_ADMIN_KEY)")
	fs.StringVar(&q.cors, "cors", env("GAMEBALL_MOCK_CORS", "local"),
		"browser origins allowed: local (any port of localhost, 127.0.0.1, [::1]), off, *, or a comma-separated list such as http://localhost:5173,https://app.test:* (env GAMEBALL_MOCK_CORS)")
	fs.StringVar(&q.journal, "journal", env("GAMEBALL_MOCK_JOURNAL", strconv.Itoa(mockserver.DefaultJournalSize)),
		"how many requests the journal keeps; 0 turns it off (env GAMEBALL_MOCK_JOURNAL)")
	fs.StringVar(&q.state, "state", env("GAMEBALL_MOCK_STATE", ""),
		"file to load the state from at start and save it to after changes and at exit; created when missing (env GAMEBALL_MOCK_STATE)")
	fs.StringVar(&q.debounce, "state-debounce", env("GAMEBALL_MOCK_STATE_DEBOUNCE", mockserver.DefaultStateDebounce.String()),
		"how long changes gather before the state file is saved (env GAMEBALL_MOCK_STATE_DEBOUNCE)")
	fs.StringVar(&q.hosts, "allowed-hosts", env("GAMEBALL_MOCK_ALLOWED_HOSTS", ""),
		"comma-separated Host names answered besides localhost, 127.0.0.1 and [::1] when listening on loopback (DNS rebinding guard), such as mock.test or host.docker.internal (env GAMEBALL_MOCK_ALLOWED_HOSTS)")
	fs.StringVar(&q.fixtures, "fixtures", env("GAMEBALL_MOCK_FIXTURES", ""),
		"JSON fixtures (the body of POST /_mock/seed) to seed at start, unless -state loaded a saved state (env GAMEBALL_MOCK_FIXTURES)")
}

// options are the server options the flags ask for, listening on addr.
func (q *qaFlags) options(logger *slog.Logger, cfg loyalty.Config, addr string) (mockserver.Options, error) {
	opts := mockserver.Options{Logger: logger, AdminKey: q.adminKey, LoopbackHosts: loopbackAddr(addr)}
	for _, h := range strings.Split(q.hosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			opts.AllowedHosts = append(opts.AllowedHosts, h)
		}
	}
	for _, a := range cfg.Accounts {
		opts.Secrets = append(opts.Secrets, a.SecretKey)
	}
	switch c := strings.TrimSpace(q.cors); c {
	case "local", "":
	case "off", "none":
		opts.NoCORS = true
	default:
		for _, origin := range strings.Split(c, ",") {
			if origin = strings.TrimSpace(origin); origin != "" {
				opts.CORSOrigins = append(opts.CORSOrigins, origin)
			}
		}
	}
	size, err := strconv.Atoi(strings.TrimSpace(q.journal))
	if err != nil || size < 0 {
		return opts, fmt.Errorf("-journal: %q is not a number of requests (0 turns the journal off)", q.journal)
	}
	opts.JournalSize = size
	if size == 0 {
		opts.JournalSize = -1
	}
	return opts, nil
}

// loopbackAddr reports whether a listen address (-addr) is on loopback
// only: then a page elsewhere can reach the mock only by DNS rebinding, and
// the mock answers only loopback Host names. An address on every interface
// (:8741) is not.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// setUp loads the state file (or seeds the fixtures) before the server takes
// requests. finish saves the state a last time; it may be called more than
// once.
func (q *qaFlags) setUp(srv *mockserver.Server, logger *slog.Logger) (finish func() error, err error) {
	finish = func() error { return nil }
	debounce, err := time.ParseDuration(q.debounce)
	if err != nil || debounce < 0 {
		return finish, fmt.Errorf("-state-debounce: %q is not a duration (250ms, 1s)", q.debounce)
	}
	loaded := false
	var file *mockserver.StateFile
	if q.state != "" {
		if file, loaded, err = mockserver.OpenStateFile(srv, q.state, debounce, logger); err != nil {
			return finish, err
		}
		finish = file.Close
		if loaded {
			logger.Info("state loaded", "file", file.Path())
		}
	}
	if q.fixtures != "" {
		if loaded {
			logger.Info("fixtures not seeded: the state file had a saved state", "fixtures", q.fixtures)
			return finish, nil
		}
		fixtures, err := mockserver.ReadFixtures(q.fixtures)
		if err == nil {
			_, err = srv.Seed(fixtures)
		}
		if err != nil {
			if file != nil {
				file.Discard() // the state is fresh: leave no file without the fixtures
			}
			return finish, fmt.Errorf("-fixtures %s: %w", q.fixtures, err)
		}
		logger.Info("fixtures seeded", "fixtures", q.fixtures)
	}
	if file != nil && !loaded {
		// The new file, written before any request: a crash from now on
		// leaves a file with the seed, so the seed is never lost to it.
		if err := file.Save(); err != nil {
			return finish, errors.Join(fmt.Errorf("state file %s: %w", q.state, err), finish())
		}
	}
	return finish, nil
}

// printBanner tells where the dashboard and the control API are, and warns
// when the control API is open to other machines.
func (q *qaFlags) printBanner(w io.Writer, addr net.Addr, logger *slog.Logger) {
	url := "http://" + addr.String()
	fmt.Fprintf(w, "dashboard: %s/_mock/ui   control API: %s/_mock/", url, url)
	if q.adminKey != "" {
		fmt.Fprintf(w, " (X-Mock-Admin-Key required)")
	}
	fmt.Fprintln(w)
	if q.state != "" {
		fmt.Fprintf(w, "state file: %s\n", q.state)
	}
	if loopbackAddr(addr.String()) {
		names := "localhost, 127.0.0.1, [::1]"
		if q.hosts != "" {
			names += ", " + q.hosts
		}
		fmt.Fprintf(w, "answers Host names: %s (against DNS rebinding; add names with -allowed-hosts)\n", names)
	}
	if tcp, ok := addr.(*net.TCPAddr); ok && !tcp.IP.IsLoopback() && q.adminKey == "" {
		logger.Warn("the control API is open to the network: set an admin key (GAMEBALL_MOCK_ADMIN_KEY) or listen on 127.0.0.1", "addr", addr.String())
	}
	if anyOrigin(q.cors) && q.adminKey == "" {
		logger.Warn("-cors '*' without an admin key: any web page can read and change the mock's state; set an admin key (GAMEBALL_MOCK_ADMIN_KEY) or list the origins", "cors", q.cors)
	}
}

// anyOrigin reports whether a -cors value allows every origin.
func anyOrigin(cors string) bool {
	for _, origin := range strings.Split(cors, ",") {
		if strings.TrimSpace(origin) == "*" {
			return true
		}
	}
	return false
}
