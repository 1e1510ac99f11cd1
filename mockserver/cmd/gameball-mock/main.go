// Command gameball-mock runs the gameball-go mock server: Gameball's v4.0
// cashback and points API on your machine, with state, no account and no keys
// to ask for.
//
//	go run ./mockserver/cmd/gameball-mock                 # 127.0.0.1:8741, embedded default config
//	go run ./mockserver/cmd/gameball-mock -config my.yaml -addr 127.0.0.1:9000
//	gameball-mock -version                               # version and commit
//
// Every flag has an environment variable: GAMEBALL_MOCK_ADDR,
// GAMEBALL_MOCK_CONFIG, GAMEBALL_MOCK_LOG, and for the control API, the
// journal, persistence and Host names (qa.go) GAMEBALL_MOCK_ADMIN_KEY, GAMEBALL_MOCK_CORS,
// GAMEBALL_MOCK_JOURNAL, GAMEBALL_MOCK_STATE, GAMEBALL_MOCK_STATE_DEBOUNCE,
// GAMEBALL_MOCK_FIXTURES, GAMEBALL_MOCK_ALLOWED_HOSTS.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/gbkit/gameball-go/loyalty"
	"github.com/gbkit/gameball-go/mockserver"
)

// DefaultAddr is loopback on a port no common dev server takes.
const DefaultAddr = "127.0.0.1:8741"

// shutdownGrace bounds how long in-flight requests may finish after a signal.
const shutdownGrace = 10 * time.Second

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gameball-mock:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gameball-mock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", env("GAMEBALL_MOCK_ADDR", DefaultAddr), "listen address (env GAMEBALL_MOCK_ADDR)")
	configPath := fs.String("config", env("GAMEBALL_MOCK_CONFIG", ""), "program and accounts YAML; empty for the embedded default (env GAMEBALL_MOCK_CONFIG)")
	logLevel := fs.String("log", env("GAMEBALL_MOCK_LOG", "info"), "log level: debug (a line per request), info, warn, error (env GAMEBALL_MOCK_LOG)")
	showVersion := fs.Bool("version", false, "print the version and commit, and exit")
	var qa qaFlags
	qa.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *showVersion {
		info, _ := debug.ReadBuildInfo()
		fmt.Fprintln(stdout, versionLine(version, info))
		return nil
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("-log: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	cfg := loyalty.DefaultConfig()
	if *configPath != "" {
		data, err := os.ReadFile(*configPath)
		if err != nil {
			return err
		}
		if cfg, err = loyalty.ParseConfig(data); err != nil {
			return fmt.Errorf("%s: %w", *configPath, err)
		}
	}
	engine, err := loyalty.New(cfg, loyalty.NewShiftedClock())
	if err != nil {
		return err
	}
	defer engine.Close()

	opts, err := qa.options(logger, cfg, *addr)
	if err != nil {
		return err
	}
	handler, err := mockserver.New(engine, opts)
	if err != nil {
		return err
	}
	// The port first: a start that fails on it leaves no new state file.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (pick another with -addr or GAMEBALL_MOCK_ADDR)", *addr, err)
	}
	defer ln.Close()
	finish, err := qa.setUp(handler, logger)
	if err != nil {
		return err
	}
	// On the way out of an error (the end of run reports its own), batch
	// workers stop before the last save, as there.
	defer func() {
		engine.Close()
		_ = finish()
	}()
	// Header, body, write and idle timeouts and the header size limit:
	// mockserver/httpserver.go.
	srv := mockserver.NewHTTPServer(handler, mockserver.DefaultTimeouts, slog.NewLogLogger(logger.Handler(), slog.LevelWarn))
	printBanner(stdout, "http://"+ln.Addr().String(), cfg, *configPath == "")
	qa.printBanner(stdout, ln.Addr(), logger)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	handler.SetReady(false)
	logger.Info("shutting down", "grace", shutdownGrace)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	engine.Close() // batch workers stop first, so the last save has their last change
	if err := finish(); err != nil {
		return fmt.Errorf("saving the state: %w", err)
	}
	return nil
}

// printBanner tells where the mock listens and with which keys to call it.
// Secret keys are shown only for the embedded default config, whose keys are
// public test keys written in the README.
func printBanner(w io.Writer, url string, cfg loyalty.Config, defaultConfig bool) {
	fmt.Fprintf(w, "gameball-mock listening on %s\n", url)
	for _, a := range cfg.Accounts {
		secret := mask(a.SecretKey)
		if defaultConfig {
			secret = a.SecretKey
		}
		fmt.Fprintf(w, "  account %-12s apikey: %s  secretkey: %s\n", a.Name, a.APIKey, secret)
	}
	if len(cfg.Accounts) > 0 {
		a := cfg.Accounts[0]
		fmt.Fprintf(w, "try:\n  curl -s %s/api/v4.0/integrations/payments/cashback -H 'apikey: %s' -H 'Content-Type: application/json' -d '{\"customerId\":\"cust_1\",\"totalPaid\":100}'\n", url, a.APIKey)
	}
}

func mask(secret string) string {
	if secret == "" {
		return "(none)"
	}
	return "(hidden)"
}

func env(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return fallback
}
