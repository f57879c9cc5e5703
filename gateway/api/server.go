// Package api is the gateway's HTTP API (docs/openapi.yaml): record
// ingest (plain JSON or CloudEvents), queries with provenance, ledger
// health, and the operational endpoints.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/ingest"
	"github.com/ledgergate/ledgergate/gateway/reconcile"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/schema"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Pinger is implemented by adapters that can report their ledger's health.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Ledger is a configured ledger as the API shows it.
type Ledger struct {
	Name    string
	Kind    string // ethereum, fabric, factom, memory
	Adapter adapters.Adapter
}

// Config holds the Server's dependencies.
type Config struct {
	Registry *schema.Registry
	Store    store.Store
	Ingest   *ingest.Ingestor
	Auth     *auth.Authenticator
	Ledgers  []Ledger
	OpenAPI  []byte // served at /openapi.yaml
	Logger   *slog.Logger
	Metrics  *prometheus.Registry // nil: a private registry
	// RequestTimeout bounds each /v1 request (default 30 s).
	RequestTimeout time.Duration
	// Reconcile serves POST /v1/reconcile (nil: 503).
	Reconcile *reconcile.Engine
	// Ready reports readiness (e.g. relay started); nil means ready.
	Ready func(context.Context) error
	// Streaming: live events (GET /v1/stream), watched sources and dead
	// letters (stream.go).
	Streaming Streaming
	// MaxRecordsInFlight bounds the records being validated and stored at
	// once (0: DefaultMaxRecordsInFlight); AdmissionWait is how long a
	// submission waits for room before it is answered 503 overloaded
	// (0: DefaultAdmissionWait). MaxBodyBytesInFlight bounds the bytes of
	// the submission bodies being read and processed at once (0:
	// DefaultMaxBodyBytesInFlight). See admission.go.
	MaxRecordsInFlight   int
	MaxBodyBytesInFlight int64
	AdmissionWait        time.Duration
}

// Server serves the API.
type Server struct {
	cfg       Config
	mux       *http.ServeMux
	metrics   *metrics
	admission *admission
	routes    []string // "METHOD /pattern", for the spec test
}

// New builds the server.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	if cfg.Metrics == nil {
		cfg.Metrics = prometheus.NewRegistry()
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), metrics: newMetrics(cfg.Metrics), admission: newAdmission(cfg.MaxRecordsInFlight, cfg.MaxBodyBytesInFlight, cfg.AdmissionWait)}
	cfg.Metrics.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ledgergate_records_in_flight", Help: "Records being validated and stored (admission control; the limit is maxRecordsInFlight)."},
		func() float64 { return float64(s.admission.records.held.Load()) }))
	cfg.Metrics.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ledgergate_body_bytes_in_flight", Help: "Bytes of submission bodies being read and processed (admission control; the limit is maxBodyBytesInFlight)."},
		func() float64 { return float64(s.admission.bodies.held.Load()) }))
	cfg.Metrics.MustRegister(deliveriesCollector{store: cfg.Store, desc: prometheus.NewDesc("ledgergate_deliveries", "Deliveries (outbox rows) by state.", []string{"state"}, nil)})
	s.handle("POST /v1/records", s.authed(s.postRecord))
	s.handle("POST /v1/records:batch", s.authed(s.postBatch))
	s.handle("GET /v1/records", s.authed(s.listRecords))
	s.handle("GET /v1/records/{id}", s.authed(s.getRecord))
	s.handle("GET /v1/records/{id}/audit", s.authed(s.getRecordAudit))
	s.handle("GET /v1/ledgers", s.authed(s.getLedgers))
	s.handle("GET /v1/discrepancies", s.authed(s.listDiscrepancies))
	s.handle("POST /v1/reconcile", s.authed(s.postReconcile))
	s.handle("POST /v1/verify", s.postVerify)
	s.registerStreaming()
	s.handle("GET /healthz", s.healthz)
	s.handle("GET /readyz", s.readyz)
	s.handle("GET /openapi.yaml", s.openapi)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(cfg.Metrics, promhttp.HandlerOpts{}))
	s.routes = append(s.routes, "GET /metrics")
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, http.StatusNotFound, "not-found", "Not found", "no such endpoint: "+r.Method+" "+r.URL.Path, nil)
	})
	return s
}

func (s *Server) handle(pattern string, h http.HandlerFunc) {
	s.routes = append(s.routes, pattern)
	s.mux.Handle(pattern, s.instrument(pattern, h))
}

// Routes lists the "METHOD /pattern" routes the server has.
func (s *Server) Routes() []string { return append([]string(nil), s.routes...) }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			s.cfg.Logger.Error("api: panic", "path", r.URL.Path, "panic", v)
			writeProblem(w, r, http.StatusInternalServerError, "internal", "Internal error", "", nil)
		}
	}()
	s.mux.ServeHTTP(w, r)
}

type principalKey struct{}

// authed authenticates the caller and bounds the request's time.
func (s *Server) authed(h func(http.ResponseWriter, *http.Request, auth.Principal)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.cfg.Auth.Authenticate(r)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="ledgergate"`)
			writeProblem(w, r, http.StatusUnauthorized, "unauthenticated", "Unauthenticated", err.Error(), nil)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
		defer cancel()
		h(w, r.WithContext(context.WithValue(ctx, principalKey{}, p)), p)
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// pinger is implemented by stores with a cheap liveness query.
type pinger interface {
	Ping(ctx context.Context) error
}

// pingStore checks that st answers: with its Ping when it has one, else by
// counting deliveries (which reads the whole outbox: 13 ms on SQLite with
// 200,000 deliveries, and readiness probes come every few seconds).
func pingStore(ctx context.Context, st store.Store) error {
	if p, ok := st.(pinger); ok {
		return p.Ping(ctx)
	}
	_, err := st.Counts(ctx)
	return err
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	var problems []string
	if err := pingStore(ctx, s.cfg.Store); err != nil {
		problems = append(problems, "store: "+err.Error())
	}
	if s.cfg.Ready != nil {
		if err := s.cfg.Ready(ctx); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if len(problems) > 0 {
		writeProblem(w, r, http.StatusServiceUnavailable, "not-ready", "Not ready", strings.Join(problems, "; "), nil)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	_, _ = w.Write(s.cfg.OpenAPI)
}

// LedgerHealth is one entry of GET /v1/ledgers.
type LedgerHealth struct {
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Healthy *bool  `json:"healthy"` // null when the adapter cannot tell
	Error   string `json:"error,omitempty"`
}

func (s *Server) getLedgers(w http.ResponseWriter, r *http.Request, _ auth.Principal) {
	out := make([]LedgerHealth, 0, len(s.cfg.Ledgers))
	for _, l := range s.cfg.Ledgers {
		h := LedgerHealth{Name: l.Name, Kind: l.Kind}
		if p, ok := l.Adapter.(Pinger); ok {
			ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
			err := p.Ping(ctx)
			cancel()
			ok := err == nil
			h.Healthy = &ok
			if err != nil {
				h.Error = err.Error()
			}
		}
		out = append(out, h)
	}
	counts, err := s.cfg.Store.Counts(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ledgers": out, "deliveries": counts})
}

func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.DeadlineExceeded) {
		writeProblem(w, r, http.StatusServiceUnavailable, "timeout", "Timed out", "the request took longer than the gateway allows", nil)
		return
	}
	s.cfg.Logger.Error("api: internal error", "path", r.URL.Path, "err", err)
	writeProblem(w, r, http.StatusInternalServerError, "internal", "Internal error", "", nil)
}
