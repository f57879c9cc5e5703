// Package bench measures the gateway's ingest path: records per second
// through the HTTP API (validated, persisted, enqueued) and, in the same
// run, the raw insert rate of the same store, plus latency percentiles at
// fixed request rates. `ledgergate bench ingest` runs it.
package bench

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ledgergate/ledgergate"
	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/memory"
	"github.com/ledgergate/ledgergate/gateway/api"
	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/ingest"
	"github.com/ledgergate/ledgergate/gateway/relay"
	"github.com/ledgergate/ledgergate/gateway/routing"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/store/postgres"
	"github.com/ledgergate/ledgergate/gateway/store/sqlite"
	"github.com/ledgergate/ledgergate/gateway/store/sqlstore"
	"github.com/ledgergate/ledgergate/internal/cputime"
	"github.com/ledgergate/ledgergate/internal/ctxtime"
	"github.com/ledgergate/ledgergate/schema"
)

// Options configure an ingest benchmark.
type Options struct {
	Store       string        // sqlite or postgres
	DSN         string        // postgres DSN (sqlite uses a temp file)
	Dir         string        // temp dir for sqlite
	Duration    time.Duration // per measurement
	Concurrency int           // clients for the throughput runs
	Rates       []int         // fixed request rates for latency runs
	BatchSize   int           // records per POST /v1/records:batch request
	// BatchClients is how many clients send batches at once (default 4,
	// at most Concurrency): with more, more records wait for each commit
	// and group commit makes larger transactions.
	BatchClients int
	// SequentialIDs makes record ids increase (as in the figures before
	// 2026-11-22) instead of scattering them like random UUIDs.
	SequentialIDs bool
	// SameCodes gives every record the example's HS codes (as in the
	// figures before 2026-11-22) instead of codes drawn from pools the
	// size of real tariff schedules.
	SameCodes bool
	// Runs selects the measurements by name: raw, api, batch, latency
	// (empty: all of them).
	Runs []string
	// Relay runs the relay while the API is measured, delivering to the
	// in-memory ledger, and reports how many deliveries it finished: its
	// store transactions compete with the accepting ones for the
	// database. RelayWorkers is its worker count (serve's relay.workers;
	// 0: the relay's default, 64).
	Relay        bool
	RelayWorkers int
	// WriterCPU measures the store writer's CPU per record
	// (sqlstore.Store.MeasureWriterCPU), at some cost to small batches.
	WriterCPU bool
	// CheckpointPages is the SQLite store's checkpoint window in pages
	// (sqlite.WithCheckpointPages; 0: its default).
	CheckpointPages int
	// Every, when positive, also reports each throughput run over every
	// interval of this length, so a long run shows how the rate follows
	// the store's growth.
	Every time.Duration
}

// Run names for Options.Runs.
var RunNames = []string{"raw", "api", "batch", "latency"}

func (o Options) runs(name string) bool {
	return len(o.Runs) == 0 || slices.Contains(o.Runs, name)
}

// Result is one measurement.
type Result struct {
	Name      string
	Requests  int
	Errors    int
	PerSecond float64
	P50, P99  time.Duration
	// CPU is the benchmark process's CPU time (user + system, all
	// threads: server, store and load-generating clients together) per
	// record in a throughput run; PostgreSQL's own processes are not in
	// it. 1e6/CPU µs is the rate all GOMAXPROCS cores could sustain at
	// that cost.
	CPU time.Duration
	// Faults is the process's minor page faults per record in a
	// throughput run.
	Faults float64
	// WriterCPU is the CPU time of the store's single writer per record
	// and WriterBusy the share of the run's time it spent running
	// batches (sqlstore.WriterUsage; zero for other stores). The writer
	// cannot use a second core: busy near 1 means it sets the rate, and
	// its CPU per record is what to cut.
	WriterCPU  time.Duration
	WriterBusy float64
	// PerCommit is the requests (records, and the relay's grouped
	// writes) per writer transaction: how well group commit shares
	// each commit's sync.
	PerCommit float64
}

func (r Result) String() string {
	s := fmt.Sprintf("%-34s %8d req  %9.0f /s", r.Name, r.Requests, r.PerSecond)
	if r.CPU > 0 {
		s += fmt.Sprintf("  cpu %v/record  faults %.2f/record", r.CPU.Round(100*time.Nanosecond), r.Faults)
	}
	switch {
	case r.WriterCPU > 0:
		s += fmt.Sprintf("  writer %v/record busy %.0f%%", r.WriterCPU.Round(100*time.Nanosecond), 100*r.WriterBusy)
	case r.WriterBusy > 0:
		s += fmt.Sprintf("  writer busy %.0f%%", 100*r.WriterBusy)
	}
	if r.PerCommit > 0 {
		s += fmt.Sprintf(" %.0f/commit", r.PerCommit)
	}
	if r.P50 > 0 {
		s += fmt.Sprintf("  p50 %-10v p99 %-10v", r.P50.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond))
	}
	if r.Errors > 0 {
		s += fmt.Sprintf("  %d errors", r.Errors)
	}
	return s
}

// IngestRun measures; it calls report for each result as it is ready.
func IngestRun(ctx context.Context, o Options, report func(Result)) error {
	if o.Duration <= 0 {
		o.Duration = 5 * time.Second
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 32
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 200
	}
	for _, r := range o.Runs {
		if !slices.Contains(RunNames, r) {
			return fmt.Errorf("bench: unknown run %q (runs: %v)", r, RunNames)
		}
	}
	if o.CheckpointPages < 0 {
		return fmt.Errorf("bench: checkpoint pages %d: want a number of pages, or 0 for the default", o.CheckpointPages)
	}
	recs, err := newRecords()
	if err != nil {
		return err
	}
	recs.sequential, recs.sameCodes = o.SequentialIDs, o.SameCodes
	if o.runs("raw") {
		if err := rawRun(ctx, o, recs, report); err != nil {
			return err
		}
	}
	if !o.runs("api") && !o.runs("batch") && !o.runs("latency") {
		return nil
	}
	reg := schema.Default()
	// The HTTP API, over loopback.
	st, err := openStore(ctx, o, "api")
	if err != nil {
		return err
	}
	defer st.Close()
	key, hash := auth.NewKey()
	authn, _ := auth.New([]auth.Account{{ID: "bench", Role: auth.RoleAdmin, APIKeyHashes: []string{hash}}})
	ledger := memory.New(memory.NewLedger())
	router, _ := routing.New([]routing.Route{{Name: "all", Targets: []routing.Target{{Ledger: "bench", Disclosure: adapters.DisclosureDigest}}}}, []string{"bench"})
	srv := api.New(api.Config{Registry: reg, Store: st, Ingest: ingest.New(reg, st, router), Auth: authn, OpenAPI: ledgergate.OpenAPI,
		Ledgers: []api.Ledger{{Name: "bench", Kind: "memory", Adapter: ledger}}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv}
	go hs.Serve(ln)
	defer hs.Close()
	if o.Relay {
		stop := runRelay(ctx, st, reg, ledger, o.RelayWorkers, o.Duration, report)
		defer stop()
	}
	url := "http://" + ln.Addr().String() + "/v1/records"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1024, MaxConnsPerHost: 1024}}
	post := func() error {
		req, _ := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(recs.body()))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusAccepted {
			return fmt.Errorf("HTTP %d", res.StatusCode)
		}
		return nil
	}
	if o.runs("api") {
		report(throughput(ctx, st, fmt.Sprintf("POST /v1/records (%d clients)", o.Concurrency), o.Concurrency, o.Duration, o.Every, report, post))
	}
	// Batches: one request carries BatchSize records.
	batchURL := "http://" + ln.Addr().String() + "/v1/records:batch"
	postBatch := func() (int, error) {
		items := make([][]byte, o.BatchSize)
		for i := range items {
			items[i] = recs.body()
		}
		body := append(append([]byte{'['}, bytes.Join(items, []byte{','})...), ']')
		req, _ := http.NewRequestWithContext(ctx, "POST", batchURL, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		defer res.Body.Close()
		// The counts are all the check needs; decoding every item's result
		// would add client work to the CPU this process measures.
		var out struct {
			Accepted int `json:"accepted"`
		}
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("HTTP %d: %v", res.StatusCode, err)
		}
		if out.Accepted != o.BatchSize {
			return out.Accepted, fmt.Errorf("%d of %d accepted", out.Accepted, o.BatchSize)
		}
		return out.Accepted, nil
	}
	clients := o.BatchClients
	if clients <= 0 {
		clients = 4
	}
	clients = max(1, min(o.Concurrency, clients))
	if o.runs("batch") {
		report(throughputN(ctx, st, fmt.Sprintf("POST /v1/records:batch (%d×%d)", clients, o.BatchSize), clients, o.Duration, o.Every, report, postBatch))
	}
	for _, rate := range o.Rates {
		if !o.runs("latency") {
			break
		}
		report(fixedRate(ctx, fmt.Sprintf("POST /v1/records at %d/s", rate), rate, o.Duration, post))
	}
	return nil
}

// runRelay starts a relay delivering st's outbox to ledger. The function
// it returns reports the deliveries the relay finished (committed or
// confirmed) per second while the API was measured, lets it run alone for
// drain longer (or until the outbox is empty) and reports that rate too,
// then stops it.
func runRelay(ctx context.Context, st store.Store, reg *schema.Registry, ledger adapters.Adapter, workers int, drain time.Duration, report func(Result)) (stop func()) {
	opts := []relay.Option{relay.WithLogger(slog.New(slog.DiscardHandler))}
	if workers > 0 {
		opts = append(opts, relay.WithWorkers(workers))
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = relay.New(st, reg, map[string]adapters.Adapter{"bench": ledger}, opts...).Run(rctx)
	}()
	finished := func() (n, left, failed int, err error) {
		c, err := st.Counts(ctx)
		return c[store.StateCommitted] + c[store.StateConfirmed], c[store.StatePending] + c[store.StateSubmitted], c[store.StateFailed], err
	}
	phase := func(name string, from time.Time, n0 int) (int, int) {
		n, left, failed, err := finished()
		if err != nil {
			report(Result{Name: "relay: " + err.Error(), Errors: 1})
			return n, 0
		}
		report(Result{Name: fmt.Sprintf("relay %s, %d left", name, left), Requests: n - n0, PerSecond: float64(n-n0) / time.Since(from).Seconds(), Errors: failed})
		return n, left
	}
	start := time.Now()
	return func() {
		defer func() { cancel(); <-done }()
		n, left := phase("beside the API runs", start, 0)
		from, deadline := time.Now(), time.Now().Add(drain)
		for left > 0 && time.Now().Before(deadline) && ctx.Err() == nil {
			ctxtime.Sleep(ctx, 100*time.Millisecond)
			if _, l, _, err := finished(); err == nil {
				left = l
			}
		}
		phase("alone", from, n)
	}
}

// rawRun measures the raw insert rate of the store: Accept with
// versions prepared in advance (canonical already, no validation).
func rawRun(ctx context.Context, o Options, recs *records, report func(Result)) error {
	st, err := openStore(ctx, o, "raw")
	if err != nil {
		return err
	}
	raw := throughput(ctx, st, "store.Accept (raw insert)", o.Concurrency, o.Duration, o.Every, report, func() error {
		id, body, hs := recs.next()
		_, err := st.Accept(ctx, store.Version{RecordID: id, Digest: schema.DigestOf(body), Type: schema.TypeCertificateOfOrigin, SchemaVersion: "1.0",
			Issuer: "did:web:northsteel.example", Partner: "bench", Canonical: body, IssuedAt: time.Now(),
			HSCodes: hs, Countries: []string{"CA", "MX", "US"}},
			[]store.NewDelivery{{Ledger: "bench", Policy: adapters.Policy{Disclosure: adapters.DisclosureDigest}}}, store.AuditEntry{Actor: "bench", Action: "record.accepted"})
		return err
	})
	report(raw)
	return st.Close()
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func openStore(ctx context.Context, o Options, name string) (store.Store, error) {
	var st store.Store
	var err error
	switch o.Store {
	case "postgres":
		st, err = openPostgres(ctx, o.DSN, name)
	default:
		st, err = sqlite.Open(ctx, filepath.Join(o.Dir, name+".db"), sqlite.WithCheckpointPages(o.CheckpointPages))
	}
	if w, ok := st.(writerUser); ok && err == nil {
		w.MeasureWriterCPU(o.WriterCPU)
	}
	return st, err
}

// openPostgres opens a store in a fresh schema of the database, dropped
// again when the store is closed, so each run starts empty and leaves the
// database as it found it.
func openPostgres(ctx context.Context, dsn, name string) (store.Store, error) {
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	schemaName := "ledgergate_bench_" + name + "_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schemaName); err != nil {
		admin.Close()
		return nil, fmt.Errorf("bench: create schema: %w", err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		admin.Close()
		return nil, fmt.Errorf("bench: dsn: %w", err)
	}
	q := u.Query()
	q.Set("search_path", schemaName)
	u.RawQuery = q.Encode()
	st, err := postgres.Open(ctx, u.String())
	if err != nil {
		_, _ = admin.ExecContext(ctx, "DROP SCHEMA "+schemaName+" CASCADE")
		admin.Close()
		return nil, err
	}
	return &dropOnClose{Store: st, drop: func() {
		_, _ = admin.Exec("DROP SCHEMA " + schemaName + " CASCADE")
		admin.Close()
	}}, nil
}

// dropOnClose is a PostgreSQL store whose schema is dropped when it is
// closed; it keeps the store's writer accounting (writerUser).
type dropOnClose struct {
	*sqlstore.Store
	drop func()
}

func (d *dropOnClose) Close() error {
	err := d.Store.Close()
	d.drop()
	return err
}

// throughput runs fn from n goroutines for d.
func throughput(ctx context.Context, st store.Store, name string, n int, d, every time.Duration, progress func(Result), fn func() error) Result {
	return throughputN(ctx, st, name, n, d, every, progress, func() (int, error) { return 1, fn() })
}

// throughputN runs fn from n goroutines for d; each call stores the
// records it returns. With every > 0 it also passes progress a Result for
// each interval of that length (named by the interval and the number of
// records the run had stored when it began).
func throughputN(ctx context.Context, st store.Store, name string, n int, d, every time.Duration, progress func(Result), fn func() (int, error)) Result {
	var done, errs atomic.Int64
	deadline := time.Now().Add(d)
	start, use0 := time.Now(), usageOf(st)
	stop := make(chan struct{})
	var ticks sync.WaitGroup
	if every > 0 && progress != nil {
		ticks.Go(func() {
			t := time.NewTicker(every)
			defer t.Stop()
			from, fromN, fromUse := start, int64(0), use0
			for {
				select {
				case <-stop:
					return
				case now := <-t.C:
					k, use := done.Load(), usageOf(st)
					progress(interval(fmt.Sprintf("  %v–%v from record %d", from.Sub(start).Round(time.Second), now.Sub(start).Round(time.Second), fromN), k-fromN, now.Sub(from), use, fromUse))
					from, fromN, fromUse = now, k, use
				}
			}
		})
	}
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for time.Now().Before(deadline) && ctx.Err() == nil {
				k, err := fn()
				done.Add(int64(k))
				if err != nil {
					errs.Add(1)
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	ticks.Wait()
	r := interval(name, done.Load(), time.Since(start), usageOf(st), use0)
	r.Errors = int(errs.Load())
	return r
}

// interval is the Result of storing n records in el, the process having
// used use0 before and use after.
func interval(name string, n int64, el time.Duration, use, use0 usage) Result {
	r := Result{Name: name, Requests: int(n), PerSecond: float64(n) / el.Seconds()}
	if n > 0 {
		r.CPU = (use.cpu - use0.cpu) / time.Duration(n)
		r.Faults = float64(use.faults-use0.faults) / float64(n)
		r.WriterCPU = (use.writer.CPU - use0.writer.CPU) / time.Duration(n)
	}
	if el > 0 {
		r.WriterBusy = float64(use.writer.Busy-use0.writer.Busy) / float64(el)
	}
	if b := use.writer.Batches - use0.writer.Batches; b > 0 {
		r.PerCommit = float64(use.writer.Requests-use0.writer.Requests) / float64(b)
	}
	return r
}

// usage is what this process, and the store's writer, have used so far.
type usage struct {
	cpu    time.Duration // user + system
	faults int64         // minor page faults
	writer sqlstore.WriterUsage
}

// writerUser is a store that accounts for its single writer
// (sqlstore.Store).
type writerUser interface {
	WriterUsage() sqlstore.WriterUsage
	MeasureWriterCPU(on bool)
}

func usageOf(st store.Store) usage {
	var u usage
	if w, ok := st.(writerUser); ok {
		u.writer = w.WriterUsage()
	}
	u.cpu, u.faults = cputime.Process()
	return u
}

// fixedRate issues requests at rate per second (open loop: a slow answer
// does not delay the next request) and reports latency percentiles.
func fixedRate(ctx context.Context, name string, rate int, d time.Duration, fn func() error) Result {
	interval := time.Second / time.Duration(rate)
	var mu sync.Mutex
	var lat []time.Duration
	var errs atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; ; i++ {
		at := start.Add(time.Duration(i) * interval)
		if at.After(start.Add(d)) || ctx.Err() != nil {
			break
		}
		time.Sleep(time.Until(at))
		wg.Go(func() {
			err := fn()
			el := time.Since(at) // from the intended send time: queueing counts
			if err != nil {
				errs.Add(1)
				return
			}
			mu.Lock()
			lat = append(lat, el)
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(lat)
	r := Result{Name: name, Requests: len(lat), Errors: int(errs.Load()), PerSecond: float64(len(lat)) / time.Since(start).Seconds()}
	if len(lat) > 0 {
		r.P50, r.P99 = lat[len(lat)/2], lat[len(lat)*99/100]
	}
	return r
}
