package reconcile_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/memory"
	"github.com/ledgergate/ledgergate/conformance"
	"github.com/ledgergate/ledgergate/gateway/ingest"
	"github.com/ledgergate/ledgergate/gateway/reconcile"
	"github.com/ledgergate/ledgergate/gateway/relay"
	"github.com/ledgergate/ledgergate/gateway/routing"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/internal/testenv"
	"github.com/ledgergate/ledgergate/schema"
)

const issuer = "urn:gln:0614141000005" // the SensorReading example's

// gateway is a store, ingest and relay writing to the given ledgers
// through three routes: full, redacted (sensorType, observedAt) and digest.
type gateway struct {
	t       *testing.T
	store   store.Store
	ingest  *ingest.Ingestor
	ledgers map[string]adapters.Adapter
	engine  *reconcile.Engine
	events  *eventLog
}

type eventLog struct {
	mu sync.Mutex
	ev []reconcile.Event
}

func (l *eventLog) hook(_ context.Context, ev reconcile.Event) {
	l.mu.Lock()
	l.ev = append(l.ev, ev)
	l.mu.Unlock()
}

func (l *eventLog) take() []reconcile.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.ev
	l.ev = nil
	return out
}

var redactedFields = []string{"sensorType", "observedAt"}

// newGateway routes every record to ledgers[0] (full), ledgers[1]
// (redacted) and ledgers[2] (digest), named by names.
func newGateway(t *testing.T, names [3]string, ledgers [3]adapters.Adapter) *gateway {
	t.Helper()
	st := testenv.SQLiteStore(t)
	router, err := routing.New([]routing.Route{{Name: "all", Targets: []routing.Target{
		{Ledger: names[0], Disclosure: adapters.DisclosureFull},
		{Ledger: names[1], Disclosure: adapters.DisclosureRedacted, PublicFields: redactedFields},
		{Ledger: names[2], Disclosure: adapters.DisclosureDigest},
	}}}, names[:])
	if err != nil {
		t.Fatal(err)
	}
	g := &gateway{t: t, store: st, ingest: ingest.New(schema.Default(), st, router), ledgers: map[string]adapters.Adapter{}, events: &eventLog{}}
	for i, n := range names {
		g.ledgers[n] = ledgers[i]
	}
	g.engine = reconcile.New(reconcile.Config{Source: reconcile.StoreSource{Store: st}, Ledgers: g.ledgers, Store: st, Hook: g.events.hook})
	return g
}

func memoryGateway(t *testing.T) (*gateway, [3]*memory.Ledger) {
	ls := [3]*memory.Ledger{memory.NewLedger(), memory.NewLedger(), memory.NewLedger()}
	var as [3]adapters.Adapter
	for i, l := range ls {
		as[i] = memory.New(l)
	}
	return newGateway(t, [3]string{"full", "redacted", "digest"}, as), ls
}

// relay runs the relay until every delivery is final.
func (g *gateway) relay(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := relay.New(g.store, schema.Default(), g.ledgers, relay.WithPoll(5*time.Millisecond), relay.WithConfirmPoll(5*time.Millisecond), relay.WithMaxAttempts(3), relay.WithBackoff(time.Millisecond, 5*time.Millisecond))
	done := make(chan struct{})
	go func() { defer close(done); _ = r.Run(ctx) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		c, err := g.store.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if c[store.StatePending]+c[store.StateSubmitted]+c[store.StateCommitted] == 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("deliveries did not settle")
}

func (g *gateway) submit(t *testing.T, rec *schema.Record) {
	t.Helper()
	if _, err := g.ingest.SubmitRecord(context.Background(), ingest.Submitter{Partner: "sensor-co", Issuer: issuer}, rec); err != nil {
		t.Fatal(err)
	}
}

func (g *gateway) run(t *testing.T, o reconcile.Options) *reconcile.Report {
	t.Helper()
	rep, err := g.engine.Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// sensor returns a valid SensorReading with a fresh id (or id), value and
// supersedes.
func sensor(t testing.TB, id, value string, supersedes schema.Digest) *schema.Record {
	t.Helper()
	return conformance.RecordOf(t, sensorDoc(t, id, value, supersedes))
}

func sensorDoc(t testing.TB, id, value string, supersedes schema.Digest) map[string]any {
	t.Helper()
	doc := conformance.SensorDoc(t)
	if id != "" {
		doc["id"] = id
	}
	doc["value"] = value
	if supersedes != "" {
		doc["supersedes"] = string(supersedes)
	}
	return doc
}

// findings returns the report's findings for one record, by ledger.
func findings(rep *reconcile.Report, id string) map[string]reconcile.Finding {
	out := map[string]reconcile.Finding{}
	for _, f := range rep.Findings {
		if f.RecordID == id {
			out[f.Ledger] = f
		}
	}
	return out
}

func fieldPointers(f reconcile.Finding) map[string][2]string {
	out := map[string][2]string{}
	for _, d := range f.Fields {
		out[d.Pointer] = [2]string{string(d.Expected), string(d.Found)}
	}
	return out
}

func sensorFromDoc(t testing.TB, doc map[string]any) *schema.Record {
	t.Helper()
	return conformance.RecordOf(t, doc)
}
