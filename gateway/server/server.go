// Package server assembles a gateway from its configuration: store,
// schema registry, ledgers, routes, accounts, relay and HTTP API, and runs
// it until its context ends, shutting down gracefully.
package server

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/ledgergate/ledgergate"
	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/api"
	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/ingest"
	"github.com/ledgergate/ledgergate/gateway/reconcile"
	"github.com/ledgergate/ledgergate/gateway/relay"
	"github.com/ledgergate/ledgergate/gateway/routing"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/store/postgres"
	"github.com/ledgergate/ledgergate/gateway/store/sqlite"
	"github.com/ledgergate/ledgergate/gateway/store/sqlstore"
	"github.com/ledgergate/ledgergate/internal/config"
	"github.com/ledgergate/ledgergate/schema"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Gateway is a configured, runnable gateway.
type Gateway struct {
	cfg       *config.Config
	log       *slog.Logger
	Store     store.Store
	Registry  *schema.Registry
	Ingest    *ingest.Ingestor
	relay     *relay.Relay
	api       *api.Server
	ledgers   map[string]adapters.Adapter
	closers   []func()
	recon     *reconcile.Engine
	streaming streaming // live events, webhooks, watched sources (events.go)
	listener  net.Listener
	started   chan struct{}
	closeOnce sync.Once
}

// Option adjusts a Gateway.
type Option func(*options)

type options struct {
	ledgers map[string]injected
	logger  *slog.Logger
	getenv  func(string) string
	hook    reconcile.Hook
}

type injected struct {
	kind string
	a    adapters.Adapter
}

// WithLedger adds a ledger built by the caller (the demo's in-process
// chains) under name; routes may name it like a configured one.
func WithLedger(name, kind string, a adapters.Adapter) Option {
	return func(o *options) { o.ledgers[name] = injected{kind, a} }
}

// WithLogger sets the logger (default: from the configuration, to stderr).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithGetenv replaces os.Getenv for secrets lookup (tests).
func WithGetenv(f func(string) string) Option { return func(o *options) { o.getenv = f } }

// New builds the gateway; nothing listens until Run.
func New(ctx context.Context, cfg *config.Config, opts ...Option) (g *Gateway, err error) {
	o := options{ledgers: map[string]injected{}, getenv: os.Getenv}
	for _, f := range opts {
		f(&o)
	}
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	gw := &Gateway{cfg: cfg, log: o.logger, ledgers: map[string]adapters.Adapter{}, started: make(chan struct{})}
	g = gw
	if g.log == nil {
		g.log = NewLogger(cfg.Log, os.Stderr)
	}
	defer func() {
		if err != nil {
			gw.Close() // what was opened before the failure
		}
	}()
	if g.Registry, err = cfg.Schema.Registry(); err != nil {
		return nil, err
	}
	st, err := OpenStore(ctx, cfg.Store)
	if err != nil {
		return nil, err // g.Store stays nil, not a nil *sqlstore.Store that Close would call
	}
	g.Store = st
	var apiLedgers []api.Ledger
	for _, l := range cfg.Ledgers {
		a, closeFn, err := openLedger(ctx, l, g.Registry, o.getenv)
		if err != nil {
			return nil, err
		}
		g.closers = append(g.closers, closeFn)
		g.ledgers[l.Name] = a
		apiLedgers = append(apiLedgers, api.Ledger{Name: l.Name, Kind: l.Kind, Adapter: a})
	}
	names := cfg.LedgerNames()
	for name, inj := range o.ledgers {
		if _, dup := g.ledgers[name]; dup {
			return nil, fmt.Errorf("ledger %s is both configured and injected", name)
		}
		g.ledgers[name] = inj.a
		names = append(names, name)
		apiLedgers = append(apiLedgers, api.Ledger{Name: name, Kind: inj.kind, Adapter: inj.a})
	}
	router, err := routing.New(cfg.Routes, names)
	if err != nil {
		return nil, err
	}
	authn, err := auth.New(cfg.Accounts)
	if err != nil {
		return nil, err
	}
	g.Ingest = ingest.New(g.Registry, g.Store, router)
	metrics := prometheus.NewRegistry()
	metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if c, ok := g.Store.(interface{ CodesToIndex() (int64, bool) }); ok {
		if _, deferred := c.CodesToIndex(); deferred {
			metrics.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ledgergate_store_codes_to_index", Help: "Versions this gateway accepted whose HS and country codes are not yet copied into the list index (PostgreSQL; lists read them from the versions meanwhile). Normally a commit or two; growing means the code indexer is failing (see the log)."},
				func() float64 { n, _ := c.CodesToIndex(); return float64(n) }))
		}
	}
	var relayOpts []relay.Option
	if cfg.Relay.Workers > 0 {
		relayOpts = append(relayOpts, relay.WithWorkers(cfg.Relay.Workers))
	}
	if cfg.Relay.MaxAttempts > 0 {
		relayOpts = append(relayOpts, relay.WithMaxAttempts(cfg.Relay.MaxAttempts))
	}
	if cfg.Relay.Lease > 0 {
		relayOpts = append(relayOpts, relay.WithLease(cfg.Relay.Lease))
	}
	relayOpts = append(relayOpts, relay.WithLogger(g.log))
	onChange, streamingView, err := g.setupStreaming(ctx, cfg, cfg.Accounts, o.getenv)
	if err != nil {
		return nil, err
	}
	relayOpts = append(relayOpts, onChange)
	g.relay = relay.New(g.Store, g.Registry, g.ledgers, relayOpts...)
	g.recon = g.newReconciler(o.hook)
	g.api = api.New(api.Config{
		Registry: g.Registry, Store: g.Store, Ingest: g.Ingest, Auth: authn, Ledgers: apiLedgers,
		OpenAPI: ledgergate.OpenAPI, Logger: g.log, Metrics: metrics, RequestTimeout: cfg.RequestTimeout,
		MaxRecordsInFlight: cfg.MaxRecordsInFlight, MaxBodyBytesInFlight: cfg.MaxBodyBytesInFlight, AdmissionWait: cfg.AdmissionWait,
		Streaming: streamingView, Reconcile: g.recon,
		Ready: func(context.Context) error {
			select {
			case <-g.started:
				return nil
			default:
				return errors.New("relay not started")
			}
		},
	})
	return g, nil
}

// Addr is the address the API listens on (after Run started).
func (g *Gateway) Addr() string {
	if g.listener == nil {
		return g.cfg.Listen
	}
	return g.listener.Addr().String()
}

// Started is closed once the API listens and the relay runs.
func (g *Gateway) Started() <-chan struct{} { return g.started }

// Handler is the API's HTTP handler.
func (g *Gateway) Handler() http.Handler { return g.api }

// Run serves the API and runs the relay until ctx is cancelled, then shuts
// down gracefully: no new requests, in-flight requests and ledger writes
// finish (bounded by shutdownTimeout), and the store is closed.
func (g *Gateway) Run(ctx context.Context) error {
	defer g.Close()
	ln, err := net.Listen("tcp", g.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", g.cfg.Listen, err)
	}
	srv := &http.Server{
		Handler: g.api, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: g.cfg.RequestTimeout + 10*time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(g.log.Handler(), slog.LevelWarn),
	}
	if g.cfg.TLS.Cert != "" {
		tc, err := g.tlsConfig()
		if err != nil {
			ln.Close()
			return err
		}
		ln = tls.NewListener(ln, tc)
	}
	g.listener = ln
	relayCtx, stopRelay := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Go(func() { _ = g.relay.Run(relayCtx) })
	wg.Go(func() { g.reconcileLoop(relayCtx) })
	if m := g.streaming.sources; m != nil {
		wg.Go(func() { _ = m.Run(relayCtx) })
	}
	if h := g.streaming.webhooks; h != nil {
		wg.Go(func() { _ = h.Run(relayCtx) })
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	close(g.started)
	g.log.Info("ledgergate serving", "addr", g.Addr(), "tls", g.cfg.TLS.Cert != "", "mtls", g.cfg.TLS.ClientCA != "", "store", g.cfg.Store.Driver, "ledgers", len(g.ledgers))

	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-serveErr:
	}
	g.log.Info("ledgergate shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), g.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		g.log.Warn("http shutdown", "err", err)
	}
	stopRelay()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-sctx.Done():
		g.log.Warn("relay did not stop in time; unfinished deliveries resume on the next start")
	}
	if errors.Is(runErr, http.ErrServerClosed) {
		runErr = nil
	}
	return runErr
}

func (g *Gateway) tlsConfig() (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(g.cfg.TLS.Cert, g.cfg.TLS.Key)
	if err != nil {
		return nil, fmt.Errorf("tls: %w", err)
	}
	tc := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if g.cfg.TLS.ClientCA != "" {
		pem, err := os.ReadFile(g.cfg.TLS.ClientCA)
		if err != nil {
			return nil, fmt.Errorf("tls.clientCA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("tls.clientCA %s: no certificates", g.cfg.TLS.ClientCA)
		}
		tc.ClientCAs = pool
		tc.ClientAuth = tls.VerifyClientCertIfGiven // API keys still work without a certificate
	}
	return tc, nil
}

// Close releases the store and the ledgers; Run calls it.
func (g *Gateway) Close() {
	g.closeOnce.Do(func() {
		for _, a := range g.ledgers {
			_ = a.Close()
		}
		for _, c := range g.closers {
			c()
		}
		if g.Store != nil {
			_ = g.Store.Close()
		}
	})
}

// OpenStore opens (and migrates) the store the configuration names.
func OpenStore(ctx context.Context, c config.Store) (*sqlstore.Store, error) {
	if c.Driver == "postgres" {
		return postgres.Open(ctx, c.DSN)
	}
	return sqlite.Open(ctx, c.DSN, sqlite.WithCheckpointPages(c.CheckpointPages))
}
