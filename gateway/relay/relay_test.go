package relay_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/memory"
	"github.com/ledgergate/ledgergate/conformance"
	"github.com/ledgergate/ledgergate/gateway/ingest"
	"github.com/ledgergate/ledgergate/gateway/relay"
	"github.com/ledgergate/ledgergate/gateway/routing"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/store/sqlite"
	"github.com/ledgergate/ledgergate/gateway/store/sqlstore"
	"github.com/ledgergate/ledgergate/schema"
)

type env struct {
	store   *sqlstore.Store
	in      *ingest.Ingestor
	ledgers map[string]*memory.Ledger
	who     ingest.Submitter
}

// newEnv routes every record to two in-memory ledgers: a (full) and b
// (digest only).
func newEnv(t *testing.T) *env {
	e := newEnvRouting(t, routing.Target{Ledger: "a", Disclosure: adapters.DisclosureFull},
		routing.Target{Ledger: "b", Disclosure: adapters.DisclosureDigest})
	e.ledgers = map[string]*memory.Ledger{"a": memory.NewLedger(), "b": memory.NewLedger()}
	return e
}

// newEnvRouting routes every record to the targets.
func newEnvRouting(t *testing.T, targets ...routing.Target) *env {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "lg.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	var names []string
	for _, tg := range targets {
		names = append(names, tg.Ledger)
	}
	r, err := routing.New([]routing.Route{{Name: "all", Targets: targets}}, names)
	if err != nil {
		t.Fatal(err)
	}
	return &env{
		store: s, in: ingest.New(schema.Default(), s, r),
		who: ingest.Submitter{Partner: "sensor-co", Issuer: "urn:gln:0614141000005"},
	}
}

// submit stores n fresh sensor readings and returns their ids.
func (e *env) submit(t *testing.T, n int) []string {
	t.Helper()
	base, _ := schema.ExampleOf(schema.TypeSensorReading, "minimal")
	var ids []string
	for range n {
		var doc map[string]any
		_ = json.Unmarshal(base, &doc)
		doc["id"] = conformance.NewRecordID()
		b, _ := json.Marshal(doc)
		res, err := e.in.Submit(context.Background(), e.who, b)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.Record.ID)
	}
	return ids
}

func (e *env) adapters(wrap func(string, adapters.Adapter) adapters.Adapter) map[string]adapters.Adapter {
	out := map[string]adapters.Adapter{}
	for name, l := range e.ledgers {
		var a adapters.Adapter = memory.New(l)
		if wrap != nil {
			a = wrap(name, a)
		}
		out[name] = a
	}
	return out
}

func run(t *testing.T, r *relay.Relay) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = r.Run(ctx); close(done) }()
	return func() { cancel(); <-done }
}

// waitAll waits until every delivery is in a final state.
func (e *env) waitAll(t *testing.T) map[string]int {
	t.Helper()
	return e.waitAllWithin(t, time.Minute)
}

func (e *env) waitAllWithin(t *testing.T, d time.Duration) map[string]int {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		c, err := e.store.Counts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if c[store.StatePending]+c[store.StateSubmitted]+c[store.StateCommitted] == 0 {
			return c
		}
		time.Sleep(20 * time.Millisecond)
	}
	c, _ := e.store.Counts(context.Background())
	t.Fatalf("deliveries not final within %s: %v", d, c)
	return nil
}

func fast() []relay.Option {
	return []relay.Option{relay.WithPoll(5 * time.Millisecond), relay.WithBackoff(5*time.Millisecond, 50*time.Millisecond), relay.WithWorkers(4)}
}

func TestEveryRecordReachesEveryLedgerOnce(t *testing.T) {
	e := newEnv(t)
	ids := e.submit(t, 40)
	stop := run(t, relay.New(e.store, schema.Default(), e.adapters(nil), fast()...))
	counts := e.waitAll(t)
	stop()
	if counts[store.StateConfirmed] != 80 {
		t.Fatalf("counts = %v, want 80 confirmed", counts)
	}
	for name, l := range e.ledgers {
		if l.Writes() != 40 {
			t.Errorf("ledger %s has %d writes, want 40", name, l.Writes())
		}
	}
	d, err := e.store.Record(context.Background(), ids[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, del := range d.Deliveries {
		if del.Receipt == nil || del.Receipt.TxID == "" || del.Attempts != 1 {
			t.Fatalf("delivery = %+v", del)
		}
	}
	log, _ := e.store.AuditLog(context.Background(), ids[0], 10)
	var actions []string
	for _, a := range log {
		actions = append(actions, a.Action)
	}
	if len(actions) < 3 {
		t.Fatalf("audit trail = %v", actions)
	}
}

func TestUnavailableLedgerIsRetried(t *testing.T) {
	e := newEnv(t)
	e.ledgers["a"].SetDown(true)
	e.submit(t, 5)
	stop := run(t, relay.New(e.store, schema.Default(), e.adapters(nil), fast()...))
	defer stop()
	// Ledger b's deliveries complete while a is down; a's wait.
	deadline := time.Now().Add(30 * time.Second)
	var c map[string]int
	var err error
	for time.Now().Before(deadline) {
		if c, err = e.store.Counts(context.Background()); err != nil || c[store.StateConfirmed] >= 5 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil || c[store.StatePending]+c[store.StateSubmitted] != 5 || e.ledgers["a"].Writes() != 0 {
		t.Fatalf("while ledger a is down: counts %v (%v), writes %d", c, err, e.ledgers["a"].Writes())
	}
	e.ledgers["a"].SetDown(false)
	counts := e.waitAll(t)
	if counts[store.StateConfirmed] != 10 || e.ledgers["a"].Writes() != 5 {
		t.Fatalf("after recovery: %v, ledger a writes %d", counts, e.ledgers["a"].Writes())
	}
}

// unknownOutcome applies writes but reports a generic error (a timeout
// after sending, say) the first time for each record.
type unknownOutcome struct {
	adapters.Adapter
	seen  map[string]bool
	count atomic.Int64
}

func (u *unknownOutcome) Write(ctx context.Context, rec *schema.Record, p adapters.Policy) (adapters.Receipt, error) {
	rc, err := u.Adapter.Write(ctx, rec, p)
	if err == nil && !u.seen[rec.ID] {
		u.seen[rec.ID] = true
		u.count.Add(1)
		return adapters.Receipt{}, errors.New("connection reset after send")
	}
	return rc, err
}

func TestUnknownOutcomeIsResolvedWithoutASecondWrite(t *testing.T) {
	e := newEnv(t)
	e.submit(t, 6)
	var uo *unknownOutcome
	ads := e.adapters(func(name string, a adapters.Adapter) adapters.Adapter {
		if name == "a" {
			uo = &unknownOutcome{Adapter: a, seen: map[string]bool{}}
			return uo
		}
		return a
	})
	stop := run(t, relay.New(e.store, schema.Default(), ads, append(fast(), relay.WithWorkers(1))...))
	counts := e.waitAll(t)
	stop()
	if counts[store.StateConfirmed] != 12 || uo.count.Load() != 6 {
		t.Fatalf("counts %v, unknown outcomes %d", counts, uo.count.Load())
	}
	if w := e.ledgers["a"].Writes(); w != 6 {
		t.Fatalf("ledger a has %d writes, want 6 (no second write after an unknown outcome)", w)
	}
}

func TestRejectionFailsWithReason(t *testing.T) {
	e := newEnv(t)
	ids := e.submit(t, 1)
	// Someone wrote another version of the same id to ledger a directly.
	v, _ := e.store.Record(context.Background(), ids[0])
	var doc map[string]any
	_ = json.Unmarshal(v.Current.Canonical, &doc)
	doc["value"] = "99"
	other := conformance.RecordOf(t, doc)
	if _, err := memory.New(e.ledgers["a"]).Write(context.Background(), other, adapters.Policy{Disclosure: adapters.DisclosureFull}); err != nil {
		t.Fatal(err)
	}
	stop := run(t, relay.New(e.store, schema.Default(), e.adapters(nil), fast()...))
	e.waitAll(t)
	stop()
	d, _ := e.store.Record(context.Background(), ids[0])
	for _, del := range d.Deliveries {
		switch del.Ledger {
		case "a":
			if del.State != store.StateFailed || del.Error == "" {
				t.Fatalf("conflicting ledger: %+v", del)
			}
		case "b":
			if del.State != store.StateConfirmed {
				t.Fatalf("other ledger: %+v", del)
			}
		}
	}
}

func TestTwoRelaysShareTheOutbox(t *testing.T) {
	e := newEnv(t)
	e.submit(t, 30)
	ads := e.adapters(nil)
	stop1 := run(t, relay.New(e.store, schema.Default(), ads, append(fast(), relay.WithOwner("r1"))...))
	stop2 := run(t, relay.New(e.store, schema.Default(), ads, append(fast(), relay.WithOwner("r2"))...))
	counts := e.waitAll(t)
	stop1()
	stop2()
	if counts[store.StateConfirmed] != 60 {
		t.Fatalf("counts = %v", counts)
	}
	for name, l := range e.ledgers {
		if l.Writes() != 30 {
			t.Errorf("ledger %s: %d writes, want 30", name, l.Writes())
		}
	}
}

func TestGiveUpAfterMaxAttempts(t *testing.T) {
	e := newEnv(t)
	e.ledgers["a"].SetDown(true)
	ids := e.submit(t, 1)
	stop := run(t, relay.New(e.store, schema.Default(), e.adapters(nil), append(fast(), relay.WithMaxAttempts(3))...))
	e.waitAll(t)
	stop()
	d, _ := e.store.Record(context.Background(), ids[0])
	for _, del := range d.Deliveries {
		if del.Ledger == "a" && (del.State != store.StateFailed || del.Attempts != 3) {
			t.Fatalf("delivery to the down ledger: %+v", del)
		}
	}
}

// slowFirstVersions holds each write of a record's first version for a
// while, so that a later version, if the relay let it, would reach the
// ledger first.
type slowFirstVersions struct{ adapters.Adapter }

func (s slowFirstVersions) Write(ctx context.Context, rec *schema.Record, p adapters.Policy) (adapters.Receipt, error) {
	if rec.Supersedes == "" {
		time.Sleep(200 * time.Millisecond)
	}
	return s.Adapter.Write(ctx, rec, p)
}

// A correction accepted right after its record waits for the record to
// land on each ledger: delivered first, the ledger would refuse it as a
// conflict, and that refusal is final.
func TestVersionsReachALedgerInOrder(t *testing.T) {
	e := newEnv(t)
	ids := e.submit(t, 5)
	for _, id := range ids {
		r, err := e.store.Record(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		_ = json.Unmarshal(r.Current.Canonical, &doc)
		doc["value"], doc["supersedes"] = "2", string(r.Current.Digest)
		b, _ := json.Marshal(doc)
		if _, err := e.in.Submit(context.Background(), e.who, b); err != nil {
			t.Fatal(err)
		}
	}
	ads := e.adapters(func(_ string, a adapters.Adapter) adapters.Adapter { return slowFirstVersions{a} })
	stop := run(t, relay.New(e.store, schema.Default(), ads, append(fast(), relay.WithWorkers(8))...))
	counts := e.waitAll(t)
	stop()
	if counts[store.StateConfirmed] != 20 {
		t.Fatalf("counts %v, want all 20 deliveries (2 versions x 5 records x 2 ledgers) confirmed", counts)
	}
	for name, l := range e.ledgers {
		for _, id := range ids {
			got, err := memory.New(l).Read(context.Background(), id)
			if err != nil || got.Supersedes == "" {
				t.Fatalf("ledger %s holds %s as %+v, %v; want the second version", name, id, got, err)
			}
		}
	}
}

// slowWrites holds every write for a while before making it, and counts
// the writes of each record.
type slowWrites struct {
	adapters.Adapter
	hold   time.Duration
	mu     sync.Mutex
	writes map[string]int
}

func (s *slowWrites) Write(ctx context.Context, rec *schema.Record, p adapters.Policy) (adapters.Receipt, error) {
	s.mu.Lock()
	s.writes[rec.ID]++
	s.mu.Unlock()
	time.Sleep(s.hold)
	return s.Adapter.Write(ctx, rec, p)
}

// A write that outlasts the delivery's lease keeps it: the worker renews
// the lease while it writes, and the relay claims no more deliveries than
// it has idle workers, so none waits for a worker while its lease runs
// out. Either way another worker would take the delivery over and write
// it a second time while the first write is in flight.
func TestWritesLongerThanTheLeaseAreMadeOnce(t *testing.T) {
	e := newEnvRouting(t, routing.Target{Ledger: "a", Disclosure: adapters.DisclosureFull})
	e.ledgers = map[string]*memory.Ledger{"a": memory.NewLedger()}
	ids := e.submit(t, 6)
	// Long enough that no renewal (a store write) is held up past two
	// thirds of it on a loaded CI machine: the relay would then stop the
	// attempt and let the lease lapse, and another worker may write again
	// (60 ms did not hold under -race with other packages' tests).
	const lease = 300 * time.Millisecond
	slow := &slowWrites{hold: 4 * lease, writes: map[string]int{}}
	ads := e.adapters(func(_ string, a adapters.Adapter) adapters.Adapter { slow.Adapter = a; return slow })
	stop := run(t, relay.New(e.store, schema.Default(), ads, append(fast(), relay.WithWorkers(8), relay.WithLease(lease))...))
	counts := e.waitAll(t)
	stop()
	if counts[store.StateConfirmed] != len(ids) {
		t.Fatalf("counts %v, want %d confirmed", counts, len(ids))
	}
	slow.mu.Lock()
	defer slow.mu.Unlock()
	for _, id := range ids {
		if n := slow.writes[id]; n != 1 {
			t.Errorf("record %s was written %d times, want once", id, n)
		}
	}
}

// A relay claims deliveries only for its idle workers: with one worker
// busy on a slow write, the other deliveries are left to another relay
// rather than leased and held back.
func TestARelayClaimsOnlyForIdleWorkers(t *testing.T) {
	e := newEnvRouting(t, routing.Target{Ledger: "a", Disclosure: adapters.DisclosureFull})
	e.ledgers = map[string]*memory.Ledger{"a": memory.NewLedger()}
	e.submit(t, 8)
	wrap := func(s *slowWrites) map[string]adapters.Adapter {
		return e.adapters(func(_ string, a adapters.Adapter) adapters.Adapter { s.Adapter = a; return s })
	}
	first := &slowWrites{hold: 300 * time.Millisecond, writes: map[string]int{}}
	second := &slowWrites{hold: 300 * time.Millisecond, writes: map[string]int{}}
	one := append(fast(), relay.WithWorkers(1), relay.WithLease(time.Minute))
	stop1 := run(t, relay.New(e.store, schema.Default(), wrap(first), append(one, relay.WithOwner("r1"))...))
	stop2 := run(t, relay.New(e.store, schema.Default(), wrap(second), append(one, relay.WithOwner("r2"))...))
	counts := e.waitAll(t)
	stop1()
	stop2()
	if counts[store.StateConfirmed] != 8 {
		t.Fatalf("counts = %v", counts)
	}
	if len(first.writes) == 0 || len(second.writes) == 0 || len(first.writes)+len(second.writes) != 8 {
		t.Fatalf("the relays wrote %d and %d records, want 8 between them and some each", len(first.writes), len(second.writes))
	}
}

// losesLeases is a store on which another relay takes over a delivery
// the first time its lease is renewed: that renewal waits until the
// other relay's claim gets the delivery (once the lease has expired).
type losesLeases struct {
	relay.Store
	once  sync.Once
	taken []store.Delivery
	err   error
}

func (l *losesLeases) Renew(ctx context.Context, owner string, d store.Delivery, lease time.Duration) error {
	l.once.Do(func() {
		for deadline := time.Now().Add(time.Minute); len(l.taken) == 0 && l.err == nil && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
			l.taken, l.err = l.Store.Claim(ctx, "another-relay", 10, time.Hour)
		}
	})
	return l.Store.Renew(ctx, owner, d, lease)
}

// blockedWrite holds a write until its context ends, and reports that.
type blockedWrite struct {
	adapters.Adapter
	cancelled chan string
}

func (b *blockedWrite) Write(ctx context.Context, rec *schema.Record, p adapters.Policy) (adapters.Receipt, error) {
	<-ctx.Done()
	b.cancelled <- rec.ID
	return adapters.Receipt{}, ctx.Err()
}

// A worker that learns its lease was taken over while it writes stops
// the write, and stores nothing: the delivery belongs to the new holder.
func TestALostLeaseStopsTheWrite(t *testing.T) {
	e := newEnvRouting(t, routing.Target{Ledger: "a", Disclosure: adapters.DisclosureFull})
	e.ledgers = map[string]*memory.Ledger{"a": memory.NewLedger()}
	ids := e.submit(t, 1)
	b := &blockedWrite{cancelled: make(chan string, 1)}
	ads := e.adapters(func(_ string, a adapters.Adapter) adapters.Adapter { b.Adapter = a; return b })
	const lease = 300 * time.Millisecond
	ls := &losesLeases{Store: e.store}
	stop := run(t, relay.New(ls, schema.Default(), ads,
		append(fast(), relay.WithWorkers(1), relay.WithLease(lease), relay.WithWriteTimeout(time.Minute))...))
	select {
	case id := <-b.cancelled:
		if id != ids[0] {
			t.Fatalf("cancelled the write of %s, want %s", id, ids[0])
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the write was not stopped after its lease was lost")
	}
	stop()
	if len(ls.taken) != 1 || ls.taken[0].RecordID != ids[0] || ls.err != nil {
		t.Fatalf("the other relay took over %+v (%v), want the delivery of %s", ls.taken, ls.err, ids[0])
	}
	if d := e.delivery(t, ids[0]); d.Attempts != 1 || d.Error != "" || d.State != store.StateSubmitted {
		t.Fatalf("after the lost lease the delivery is %+v, want it as the write began (submitted, attempt 1, no outcome)", d)
	}
}
