// Package reconcile compares what the gateway accepted with what every
// ledger actually holds, read through the ledgers' adapters (never from
// the gateway's own record of its deliveries), and reports per record and
// ledger whether the copy is consistent, missing, divergent (with a
// field-level diff where the ledger holds content) or unverifiable.
//
// The Engine runs full or incremental passes (incremental: records
// accepted since the cursor kept in the store's checkpoints, plus every
// record with an open discrepancy), persists discrepancies in the store
// and calls a Hook for each one opened or resolved. Legacy exports (CSV or
// JSON with a column mapping) are compared the same way (legacy.go);
// reports are written as JSON, CSV and HTML (report.go).
package reconcile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/schema"
)

// Verdict is the outcome of checking one record on one ledger.
type Verdict string

const (
	// Consistent: the ledger holds the gateway's current version, and any
	// content it holds matches the record.
	Consistent Verdict = "consistent"
	// Pending: the delivery has not finished yet (pending or submitted)
	// and the ledger does not hold the current version yet. Not a
	// discrepancy; the next run looks again.
	Pending Verdict = "pending"
	// Missing: the ledger should hold the record and holds no version of it.
	Missing Verdict = "missing"
	// Divergent: the ledger holds another version (older, newer or
	// unknown to the gateway) or other content.
	Divergent Verdict = "divergent"
	// Unverifiable: the check could not be made (ledger unavailable,
	// not configured here, an error reading it).
	Unverifiable Verdict = "unverifiable"
)

// severity orders verdicts for a record's overall verdict (unknown
// verdicts rank with consistent).
func severity(v Verdict) int {
	switch v {
	case Pending:
		return 1
	case Unverifiable:
		return 2
	case Missing:
		return 3
	case Divergent:
		return 4
	}
	return 0
}

// Version relations of a found digest to the expected one.
const (
	VersionOlder   = "older"   // a version the gateway accepted before the current one
	VersionNewer   = "newer"   // supersedes the current version, never accepted by the gateway
	VersionUnknown = "unknown" // a digest the gateway never accepted, not a successor
)

// Finding is the verdict on one record on one ledger.
type Finding struct {
	RecordID   string              `json:"recordId"`
	Ledger     string              `json:"ledger"`
	Partner    string              `json:"partner,omitempty"`
	Verdict    Verdict             `json:"verdict"`
	Expected   schema.Digest       `json:"expected,omitempty"`
	Found      schema.Digest       `json:"found,omitempty"`
	Version    string              `json:"version,omitempty"`
	Disclosure adapters.Disclosure `json:"disclosure,omitempty"`
	Reason     string              `json:"reason,omitempty"`
	Fields     []store.FieldDiff   `json:"fields,omitempty"`
}

// Discrepancy converts a finding into a store row.
func (f Finding) Discrepancy() store.Discrepancy {
	return store.Discrepancy{RecordID: f.RecordID, Ledger: f.Ledger, Partner: f.Partner, Verdict: string(f.Verdict),
		Expected: f.Expected, Found: f.Found, Version: f.Version, Reason: f.Reason, Fields: f.Fields}
}

// Item is what the gateway holds for one record: its current version
// (with canonical bytes) and that version's deliveries.
type Item struct {
	Version    store.Version
	Deliveries []store.Delivery
}

// Source is the gateway's side of the comparison.
type Source interface {
	// Scan calls fn with batches of current records accepted after seq
	// after, in acceptance order.
	Scan(ctx context.Context, after int64, fn func([]Item) error) error
	// Item returns one record's current version and its deliveries
	// (store.ErrNotFound if unknown).
	Item(ctx context.Context, id string) (Item, error)
	// Version returns one accepted version (store.ErrNotFound if the
	// gateway never accepted it).
	Version(ctx context.Context, id string, digest schema.Digest) (store.Version, error)
}

// EventKind says what happened to a discrepancy.
type EventKind string

const (
	EventOpened   EventKind = "opened"
	EventResolved EventKind = "resolved"
)

// Event is passed to the Hook.
type Event struct {
	Kind        EventKind         `json:"kind"`
	Discrepancy store.Discrepancy `json:"discrepancy"`
}

// Hook is called once for every discrepancy a run opens (a new finding,
// after it is stored, with its ID) and every one it resolves. It runs on
// the reconciling goroutine: it must not block for long (hand the event to
// a queue). Connect CloudEvents publishing here.
type Hook func(ctx context.Context, ev Event)

// Config builds an Engine.
type Config struct {
	Source  Source
	Ledgers map[string]adapters.Adapter
	// Store persists discrepancies and the incremental cursor; nil runs
	// without persistence (reports only).
	Store interface {
		store.Discrepancies
		store.Checkpoints
	}
	Hook    Hook
	Workers int // concurrent record checks (default 4 × GOMAXPROCS)
	// CheckpointSource names the cursor in the store's checkpoints
	// (default "reconcile").
	CheckpointSource string
	Now              func() time.Time
}

// Engine reconciles. Runs are serialised: a second Run waits for the
// first.
type Engine struct {
	cfg Config
	mu  sync.Mutex
}

// New returns an engine.
func New(cfg Config) *Engine {
	if cfg.Workers <= 0 {
		cfg.Workers = 4 * runtime.GOMAXPROCS(0)
	}
	if cfg.CheckpointSource == "" {
		cfg.CheckpointSource = "reconcile"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Engine{cfg: cfg}
}

// Options select what a run does.
type Options struct {
	// Incremental checks records accepted since the stored cursor, plus
	// records with open discrepancies; otherwise every record.
	Incremental bool
	// RecordIDs, when set, checks only these records (no cursor update).
	RecordIDs []string
	// Progress is called after each batch with the records checked so far.
	Progress func(done int)
	// KeepConsistent keeps consistent findings in the report (default:
	// only the others, with counts for all).
	KeepConsistent bool
}

// Report is the outcome of one run.
type Report struct {
	Mode     string    `json:"mode"` // full, incremental, records, legacy
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Records  int       `json:"records"`
	Checks   int       `json:"checks"` // record × ledger pairs
	// Counts per verdict (records' worst verdicts in Records, every check
	// in Checks).
	RecordVerdicts map[Verdict]int            `json:"recordVerdicts"`
	CheckVerdicts  map[Verdict]int            `json:"checkVerdicts"`
	Ledgers        map[string]map[Verdict]int `json:"ledgers"`
	Findings       []Finding                  `json:"findings"`
	Opened         int                        `json:"opened"`   // discrepancies opened (persisted runs)
	Resolved       int                        `json:"resolved"` // discrepancies resolved
	Cursor         int64                      `json:"cursor"`   // the stored cursor after the run
}

func newReport(mode string, now time.Time) *Report {
	return &Report{Mode: mode, Started: now, RecordVerdicts: map[Verdict]int{}, CheckVerdicts: map[Verdict]int{}, Ledgers: map[string]map[Verdict]int{}}
}

func (r *Report) add(fs []Finding, keep bool) {
	r.Records++
	worst := Consistent
	for _, f := range fs {
		r.Checks++
		r.CheckVerdicts[f.Verdict]++
		m := r.Ledgers[f.Ledger]
		if m == nil {
			m = map[Verdict]int{}
			r.Ledgers[f.Ledger] = m
		}
		m[f.Verdict]++
		if severity(f.Verdict) > severity(worst) {
			worst = f.Verdict
		}
		if keep || f.Verdict != Consistent {
			r.Findings = append(r.Findings, f)
		}
	}
	r.RecordVerdicts[worst]++
}

// Run reconciles as opts says.
func (e *Engine) Run(ctx context.Context, opts Options) (*Report, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	mode := "full"
	switch {
	case len(opts.RecordIDs) > 0:
		mode = "records"
	case opts.Incremental:
		mode = "incremental"
	}
	rep := newReport(mode, e.cfg.Now().UTC())
	var open map[string][]store.Discrepancy
	if e.cfg.Store != nil {
		var err error
		if open, err = e.openDiscrepancies(ctx); err != nil {
			return nil, err
		}
	}
	var after int64
	if mode == "incremental" && e.cfg.Store != nil {
		cp, err := e.cfg.Store.Checkpoint(ctx, e.cfg.CheckpointSource)
		if err != nil {
			return nil, err
		}
		if cp != "" {
			if after, err = strconv.ParseInt(string(cp), 10, 64); err != nil {
				return nil, fmt.Errorf("reconcile: cursor %q: %w", cp, err)
			}
		}
	}
	r := &run{e: e, opts: opts, rep: rep, open: open, seen: map[string]bool{}, down: map[string]*atomic.Int32{}}
	for name := range e.cfg.Ledgers {
		r.down[name] = &atomic.Int32{}
	}
	r.lowPending = -1
	var err error
	switch mode {
	case "records":
		err = r.byID(ctx, opts.RecordIDs)
	default:
		err = e.cfg.Source.Scan(ctx, after, r.batch)
		if err == nil && mode == "incremental" {
			// Records with open discrepancies, wherever they are: they may
			// have been repaired (or tampered with further).
			var ids []string
			for id := range open {
				if !r.seen[id] {
					ids = append(ids, id)
				}
			}
			slices.Sort(ids)
			err = r.byID(ctx, ids)
		}
	}
	if err != nil {
		return rep, err
	}
	rep.Cursor = after
	if mode != "records" {
		cursor := r.maxSeq
		if r.lowPending >= 0 {
			cursor = r.lowPending - 1 // look at in-flight records again next time
		}
		cursor = max(cursor, after)
		rep.Cursor = cursor
		if e.cfg.Store != nil {
			if err := e.cfg.Store.SetCheckpoint(ctx, e.cfg.CheckpointSource, adapters.Checkpoint(strconv.FormatInt(cursor, 10))); err != nil {
				return rep, err
			}
		}
	}
	rep.Finished = e.cfg.Now().UTC()
	return rep, nil
}

func (e *Engine) openDiscrepancies(ctx context.Context) (map[string][]store.Discrepancy, error) {
	out := map[string][]store.Discrepancy{}
	q := store.DiscrepancyQuery{State: "open", Limit: 1000}
	for {
		p, err := e.cfg.Store.ListDiscrepancies(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, d := range p.Items {
			if _, ok := e.cfg.Ledgers[d.Ledger]; ok { // legacy comparisons keep their own
				out[d.RecordID] = append(out[d.RecordID], d)
			}
		}
		if p.Next == 0 {
			return out, nil
		}
		q.After = p.Next
	}
}

// run is the state of one Run.
type run struct {
	e          *Engine
	opts       Options
	rep        *Report
	open       map[string][]store.Discrepancy
	seen       map[string]bool
	down       map[string]*atomic.Int32 // consecutive unavailable reads per ledger
	maxSeq     int64
	lowPending int64
	// Reused by every batch: the findings of all its checks, and each
	// record's share of them (nothing keeps them past the batch: the
	// report copies the findings it keeps).
	findings []Finding
	results  [][]Finding
}

func (r *run) byID(ctx context.Context, ids []string) error {
	for len(ids) > 0 {
		n := min(len(ids), 256)
		var items []Item
		for _, id := range ids[:n] {
			it, err := r.e.cfg.Source.Item(ctx, id)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			items = append(items, it)
		}
		if err := r.batch(items); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// batch checks a batch of records concurrently, then records the results
// in order.
func (r *run) batch(items []Item) error {
	ctx := context.Background() // checks use their own timeouts; see check
	n := 0
	for _, it := range items {
		n += len(it.Deliveries)
	}
	if cap(r.findings) < n {
		r.findings = make([]Finding, n)
	}
	if cap(r.results) < len(items) {
		r.results = make([][]Finding, len(items))
	}
	results := r.results[:len(items)]
	off := 0
	for i, it := range items {
		end := off + len(it.Deliveries)
		results[i] = r.findings[off:off:end] // check appends at most one finding per delivery
		off = end
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(r.e.cfg.Workers, len(items)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(items) {
					return
				}
				results[i] = r.e.check(ctx, items[i], r.down, results[i])
			}
		})
	}
	wg.Wait()
	for i, it := range items {
		fs := results[i]
		if _, open := r.open[it.Version.RecordID]; open {
			r.seen[it.Version.RecordID] = true // checked: the incremental tail skips it
		}
		r.maxSeq = max(r.maxSeq, it.Version.Seq)
		for _, f := range fs {
			if f.Verdict == Pending && (r.lowPending < 0 || it.Version.Seq < r.lowPending) {
				r.lowPending = it.Version.Seq
			}
		}
		r.rep.add(fs, r.opts.KeepConsistent)
	}
	if r.e.cfg.Store != nil {
		if err := r.persist(items, results); err != nil {
			return err
		}
	}
	if r.opts.Progress != nil {
		r.opts.Progress(r.rep.Records)
	}
	return nil
}

func discrepancyKey(ledger, verdict string, found schema.Digest, version string) string {
	return ledger + "\x00" + verdict + "\x00" + string(found) + "\x00" + version
}

// persist opens discrepancies for new findings and resolves open ones
// the batch no longer finds.
func (r *run) persist(items []Item, results [][]Finding) error {
	ctx := context.Background()
	var add []store.Discrepancy
	var resolve []store.Discrepancy
	for i, it := range items {
		id := it.Version.RecordID
		have := map[string]bool{}
		for _, d := range r.open[id] {
			have[discrepancyKey(d.Ledger, d.Verdict, d.Found, d.Version)] = true
		}
		now := map[string]bool{}
		for _, f := range results[i] {
			if f.Verdict == Consistent || f.Verdict == Pending {
				continue
			}
			k := discrepancyKey(f.Ledger, string(f.Verdict), f.Found, f.Version)
			now[k] = true
			if !have[k] {
				add = append(add, f.Discrepancy())
			}
		}
		for _, d := range r.open[id] {
			if !now[discrepancyKey(d.Ledger, d.Verdict, d.Found, d.Version)] {
				resolve = append(resolve, d)
			}
		}
	}
	if len(add) > 0 {
		added, err := r.e.cfg.Store.AddDiscrepancies(ctx, add)
		if err != nil {
			return err
		}
		r.rep.Opened += len(added)
		for _, d := range added {
			r.open[d.RecordID] = append(r.open[d.RecordID], d)
			if r.e.cfg.Hook != nil {
				r.e.cfg.Hook(ctx, Event{Kind: EventOpened, Discrepancy: d})
			}
		}
	}
	if len(resolve) > 0 {
		at := r.e.cfg.Now().UTC()
		ids := make([]int64, len(resolve))
		for i, d := range resolve {
			ids[i] = d.ID
		}
		if err := r.e.cfg.Store.ResolveDiscrepancies(ctx, ids, at); err != nil {
			return err
		}
		r.rep.Resolved += len(resolve)
		gone := map[int64]bool{}
		for _, d := range resolve {
			gone[d.ID] = true
			d.ResolvedAt = at
			if r.e.cfg.Hook != nil {
				r.e.cfg.Hook(ctx, Event{Kind: EventResolved, Discrepancy: d})
			}
		}
		for _, d := range resolve {
			r.open[d.RecordID] = slices.DeleteFunc(r.open[d.RecordID], func(x store.Discrepancy) bool { return gone[x.ID] })
		}
	}
	return nil
}

// downAfter is how many consecutive unavailable reads make a run stop
// asking a ledger (the rest of its checks are unverifiable at once).
const downAfter = 20

// readTimeout bounds one ledger read.
const readTimeout = 30 * time.Second

// Check reconciles one record against every ledger its current version's
// deliveries name. down (optional) counts consecutive unavailable reads
// per ledger name.
func (e *Engine) Check(ctx context.Context, it Item, down map[string]*atomic.Int32) []Finding {
	return e.check(ctx, it, down, make([]Finding, 0, len(it.Deliveries)))
}

// check is Check appending to out.
func (e *Engine) check(ctx context.Context, it Item, down map[string]*atomic.Int32, out []Finding) []Finding {
	v := it.Version
	// One deadline for the record's reads (a stuck ledger cannot hold a
	// worker forever); its timer is armed only if a read waits on it.
	rctx, cancel := withLazyDeadline(ctx, time.Now().Add(readTimeout*time.Duration(max(1, len(it.Deliveries)))))
	defer cancel()
	ctx = rctx
	for _, d := range it.Deliveries {
		if d.Digest != v.Digest {
			continue
		}
		f := Finding{RecordID: v.RecordID, Ledger: d.Ledger, Partner: v.Partner, Expected: v.Digest, Disclosure: d.Policy.Disclosure}
		a, ok := e.cfg.Ledgers[d.Ledger]
		var cnt *atomic.Int32
		if down != nil {
			cnt = down[d.Ledger]
		}
		switch {
		case !ok:
			f.Verdict, f.Reason = Unverifiable, "ledger "+d.Ledger+" is not configured on this gateway"
		case cnt != nil && cnt.Load() >= downAfter:
			f.Verdict, f.Reason = Unverifiable, "ledger unavailable (stopped asking after repeated failures in this run)"
		default:
			entry, err := a.Read(ctx, v.RecordID)
			if cnt != nil {
				if errors.Is(err, adapters.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) {
					cnt.Add(1)
				} else {
					cnt.Store(0)
				}
			}
			e.compare(ctx, &f, it, d, entry, err)
		}
		out = append(out, f)
	}
	return out
}

func inFlight(d store.Delivery) bool {
	return d.State == store.StatePending || d.State == store.StateSubmitted
}

func (e *Engine) compare(ctx context.Context, f *Finding, it Item, d store.Delivery, entry adapters.Entry, err error) {
	v := it.Version
	switch {
	case errors.Is(err, adapters.ErrNotFound):
		switch {
		case inFlight(d):
			f.Verdict, f.Reason = Pending, "delivery "+d.State+"; not on the ledger yet"
		case d.State == store.StateFailed:
			f.Verdict, f.Reason = Missing, "the ledger holds no version; its delivery failed: "+d.Error
		default:
			f.Verdict, f.Reason = Missing, "the ledger holds no version, though its delivery is "+d.State
		}
		return
	case err != nil:
		f.Verdict, f.Reason = Unverifiable, "reading the ledger: "+err.Error()
		return
	}
	f.Found = entry.Digest
	f.Disclosure = entry.Disclosure
	var reasons []string
	// A full copy must hash to the digest it claims (skipped when it is
	// byte for byte the gateway's canonical record under that digest).
	if entry.Disclosure == adapters.DisclosureFull && len(entry.Content) > 0 && !(entry.Digest == v.Digest && bytes.Equal(entry.Content, v.Canonical)) &&
		schema.DigestOf(entry.Content) != entry.Digest {
		reasons = append(reasons, fmt.Sprintf("the ledger's full content hashes to %s, not to the digest it claims", schema.DigestOf(entry.Content)))
	}
	if entry.Digest == v.Digest {
		if entry.Disclosure != d.Policy.Disclosure {
			reasons = append(reasons, fmt.Sprintf("the ledger holds a %s copy; the route discloses %s", entry.Disclosure, d.Policy.Disclosure))
		}
		if entry.Type != "" && entry.Type != v.Type {
			f.Fields = append(f.Fields, store.FieldDiff{Pointer: "/type", Expected: marshal(v.Type), Found: marshal(entry.Type)})
		}
		if entry.Issuer != "" && entry.Issuer != v.Issuer {
			f.Fields = append(f.Fields, store.FieldDiff{Pointer: "/issuer/id", Expected: marshal(v.Issuer), Found: marshal(entry.Issuer)})
		}
		if len(entry.Content) > 0 {
			switch entry.Disclosure {
			case adapters.DisclosureFull:
				if !bytes.Equal(entry.Content, v.Canonical) {
					f.Fields = append(f.Fields, Diff(v.Canonical, entry.Content, false)...)
				}
			default:
				if !sameFields(v.Canonical, entry.Content) {
					f.Fields = append(f.Fields, Diff(v.Canonical, entry.Content, true)...)
				}
			}
		}
		if len(f.Fields) > 0 {
			reasons = append(reasons, "the ledger's content differs from the record under the same digest")
		}
		if len(reasons) == 0 {
			f.Verdict = Consistent
			return
		}
		f.Verdict, f.Reason = Divergent, join(reasons)
		return
	}
	// Another digest: which version is it?
	old, verr := e.cfg.Source.Version(ctx, v.RecordID, entry.Digest)
	switch {
	case verr == nil && old.Seq < v.Seq:
		f.Version = VersionOlder
		if inFlight(d) {
			f.Verdict, f.Reason = Pending, "the ledger holds the previous version; the current one's delivery is "+d.State
			return
		}
		reasons = append(reasons, "the ledger's head is an older version the gateway accepted before the current one")
	case verr == nil:
		f.Version = VersionNewer
		reasons = append(reasons, "the ledger's head is a later version than the gateway's current one")
	case entry.Supersedes == v.Digest:
		f.Version = VersionNewer
		reasons = append(reasons, "the ledger's head supersedes the current version but was never accepted by the gateway")
	default:
		f.Version = VersionUnknown
		reasons = append(reasons, "the ledger's head is a digest the gateway never accepted")
	}
	if len(entry.Content) > 0 && entry.Disclosure != adapters.DisclosureDigest {
		f.Fields = Diff(v.Canonical, entry.Content, entry.Disclosure != adapters.DisclosureFull)
		if len(f.Fields) == 0 {
			reasons = append(reasons, "no field differs in the disclosed content")
		}
	} else if verr == nil {
		// No content on the ledger, but the gateway knows that version.
		f.Fields = Diff(v.Canonical, old.Canonical, false)
		reasons = append(reasons, "digest mismatch; fields compared with the gateway's copy of the version the ledger holds")
	} else {
		reasons = append(reasons, "digest mismatch (the ledger holds no content to compare)")
	}
	f.Verdict, f.Reason = Divergent, join(reasons)
}

func join(s []string) string {
	var b bytes.Buffer
	for i, x := range s {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(x)
	}
	return b.String()
}
