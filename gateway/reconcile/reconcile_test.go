package reconcile_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/memory"
	"github.com/ledgergate/ledgergate/gateway/reconcile"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/schema"
)

func TestAllConsistent(t *testing.T) {
	g, _ := memoryGateway(t)
	for i := range 20 {
		g.submit(t, sensor(t, "", strconv.Itoa(i+1), ""))
	}
	g.relay(t)
	rep := g.run(t, reconcile.Options{})
	if rep.Records != 20 || rep.Checks != 60 || rep.RecordVerdicts[reconcile.Consistent] != 20 || len(rep.Findings) != 0 || rep.Opened != 0 {
		t.Fatalf("report: %+v", rep)
	}
	if rep.Cursor != 20 {
		t.Fatalf("cursor %d, want 20", rep.Cursor)
	}
	if ev := g.events.take(); len(ev) != 0 {
		t.Fatalf("events: %+v", ev)
	}
}

// TestMemoryTamper alters each of the three memory ledgers behind the
// gateway's back and checks the reconciler names the ledger, the record
// and the fields; then repairs one and checks the discrepancy resolves.
func TestMemoryTamper(t *testing.T) {
	g, ls := memoryGateway(t)
	a, b, c, ok := sensor(t, "", "100", ""), sensor(t, "", "200", ""), sensor(t, "", "300", ""), sensor(t, "", "400", "")
	for _, r := range []*schema.Record{a, b, c, ok} {
		g.submit(t, r)
	}
	g.relay(t)
	ctx := context.Background()

	// (a) the full ledger's copy of a: same digest, other value.
	origA, err := memory.New(ls[0]).Read(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	forged := strings.Replace(string(a.Canonical), `"value":"100"`, `"value":"999"`, 1)
	tampered := origA
	tampered.Content = []byte(forged)
	ls[0].Tamper(tampered)

	// (b) the redacted ledger: a successor of b the gateway never saw,
	// with another sensorType.
	docB := sensorDoc(t, b.ID, "200", b.Digest)
	docB["sensorType"] = "temperature"
	b2 := mustRecord(t, docB)
	pl, err := adapters.Prepare(nil, b2, adapters.Policy{Disclosure: adapters.DisclosureRedacted, PublicFields: redactedFields}, 0)
	if err != nil {
		t.Fatal(err)
	}
	ls[1].Tamper(adapters.Entry{RecordID: b.ID, Type: b.Type, Issuer: issuer, Digest: b2.Digest, Supersedes: b.Digest, Disclosure: adapters.DisclosureRedacted, Content: pl.Content})

	// (c) the digest ledger: an unknown digest.
	ls[2].Tamper(adapters.Entry{RecordID: c.ID, Type: c.Type, Issuer: issuer, Digest: schema.DigestOf([]byte("forged")), Disclosure: adapters.DisclosureDigest})

	rep := g.run(t, reconcile.Options{})
	if rep.Records != 4 || rep.RecordVerdicts[reconcile.Divergent] != 3 || rep.RecordVerdicts[reconcile.Consistent] != 1 || len(rep.Findings) != 3 {
		t.Fatalf("report: %+v", rep)
	}
	fa := findings(rep, a.ID)["full"]
	if fa.Verdict != reconcile.Divergent || fa.Found != a.Digest || fieldPointers(fa)["/value"] != [2]string{`"100"`, `"999"`} || len(fa.Fields) != 1 {
		t.Fatalf("a on full: %+v", fa)
	}
	if !strings.Contains(fa.Reason, "hashes to") {
		t.Fatalf("a: reason %q should say the content does not hash to the digest", fa.Reason)
	}
	fb := findings(rep, b.ID)["redacted"]
	if fb.Verdict != reconcile.Divergent || fb.Version != reconcile.VersionNewer || fb.Found != b2.Digest || fb.Expected != b.Digest ||
		fieldPointers(fb)["/sensorType"] != [2]string{`"radiation"`, `"temperature"`} {
		t.Fatalf("b on redacted: %+v", fb)
	}
	for p := range fieldPointers(fb) {
		if p != "/sensorType" && p != "/supersedes" {
			t.Fatalf("b: unexpected field %s (only fields the redacted copy holds are compared): %+v", p, fb.Fields)
		}
	}
	fc := findings(rep, c.ID)["digest"]
	if fc.Verdict != reconcile.Divergent || fc.Version != reconcile.VersionUnknown || len(fc.Fields) != 0 || !strings.Contains(fc.Reason, "digest mismatch") {
		t.Fatalf("c on digest: %+v", fc)
	}
	if len(findings(rep, ok.ID)) != 0 {
		t.Fatalf("untouched record reported: %+v", findings(rep, ok.ID))
	}

	// Persisted, and announced once.
	if rep.Opened != 3 {
		t.Fatalf("opened %d", rep.Opened)
	}
	ev := g.events.take()
	if len(ev) != 3 || ev[0].Kind != reconcile.EventOpened || ev[0].Discrepancy.ID == 0 {
		t.Fatalf("events: %+v", ev)
	}
	p, err := g.store.ListDiscrepancies(ctx, store.DiscrepancyQuery{RecordID: a.ID, State: "open"})
	if err != nil || len(p.Items) != 1 || p.Items[0].Ledger != "full" || p.Items[0].Partner != "sensor-co" || len(p.Items[0].Fields) != 1 {
		t.Fatalf("stored: %+v, %v", p, err)
	}
	if rep := g.run(t, reconcile.Options{}); rep.Opened != 0 || rep.Resolved != 0 || len(g.events.take()) != 0 {
		t.Fatalf("second run re-opened: %+v", rep)
	}

	// Repair a (the original entry back on top): resolved by an
	// incremental run, which re-checks records with open discrepancies.
	ls[0].Tamper(origA)
	rep = g.run(t, reconcile.Options{Incremental: true})
	if rep.Records != 3 || rep.Resolved != 1 || rep.Opened != 0 {
		t.Fatalf("incremental after repair: %+v", rep)
	}
	if ev := g.events.take(); len(ev) != 1 || ev[0].Kind != reconcile.EventResolved || ev[0].Discrepancy.RecordID != a.ID || ev[0].Discrepancy.ResolvedAt.IsZero() {
		t.Fatalf("events: %+v", ev)
	}
}

func mustRecord(t *testing.T, doc map[string]any) *schema.Record {
	t.Helper()
	return sensorFromDoc(t, doc)
}

func TestMissingUnverifiableAndVersions(t *testing.T) {
	g, ls := memoryGateway(t)
	v1 := sensor(t, "", "1", "")
	g.submit(t, v1)
	g.relay(t)
	ctx := context.Background()

	// v2 accepted, not relayed yet: every ledger holds v1, which is fine
	// while the deliveries are in flight.
	v2 := sensor(t, v1.ID, "2", v1.Digest)
	g.submit(t, v2)
	rep := g.run(t, reconcile.Options{})
	if rep.RecordVerdicts[reconcile.Pending] != 1 || rep.CheckVerdicts[reconcile.Pending] != 3 || rep.Opened != 0 {
		t.Fatalf("in flight: %+v", rep)
	}
	if rep.Cursor != 1 {
		t.Fatalf("cursor %d: an in-flight record must be looked at again", rep.Cursor)
	}

	// The digest ledger is down while v2 is relayed: its delivery fails,
	// and it keeps holding v1.
	ls[2].SetDown(true)
	g.relay(t)
	ls[2].SetDown(false)
	rep = g.run(t, reconcile.Options{})
	f := findings(rep, v1.ID)["digest"]
	if f.Verdict != reconcile.Divergent || f.Version != reconcile.VersionOlder || f.Found != v1.Digest || f.Expected != v2.Digest ||
		fieldPointers(f)["/value"] != [2]string{`"2"`, `"1"`} {
		t.Fatalf("older version on digest ledger: %+v", f)
	}
	if len(findings(rep, v1.ID)) != 1 {
		t.Fatalf("other ledgers should be consistent: %+v", rep.Findings)
	}

	// A ledger that is down is unverifiable; one that lost everything
	// (here: a fresh ledger under the same name) is missing.
	ls[0].SetDown(true)
	defer ls[0].SetDown(false)
	e2 := reconcile.New(reconcile.Config{Source: reconcile.StoreSource{Store: g.store}, Ledgers: map[string]adapters.Adapter{
		"full": memory.New(ls[0]), "redacted": memory.New(memory.NewLedger()), "digest": memory.New(ls[2]),
	}})
	rep, err := e2.Run(ctx, reconcile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs := findings(rep, v1.ID)
	if fs["full"].Verdict != reconcile.Unverifiable || !strings.Contains(fs["full"].Reason, "unavailable") {
		t.Fatalf("down ledger: %+v", fs["full"])
	}
	if fs["redacted"].Verdict != reconcile.Missing {
		t.Fatalf("empty ledger: %+v", fs["redacted"])
	}
	if rep.RecordVerdicts[reconcile.Divergent] != 1 {
		t.Fatalf("record verdict is the worst of its ledgers: %+v", rep.RecordVerdicts)
	}
}

func TestIncrementalCursor(t *testing.T) {
	g, _ := memoryGateway(t)
	for range 5 {
		g.submit(t, sensor(t, "", "7", ""))
	}
	g.relay(t)
	if rep := g.run(t, reconcile.Options{Incremental: true}); rep.Records != 5 || rep.Cursor != 5 {
		t.Fatalf("first incremental: %+v", rep)
	}
	if rep := g.run(t, reconcile.Options{Incremental: true}); rep.Records != 0 || rep.Cursor != 5 {
		t.Fatalf("nothing new: %+v", rep)
	}
	n := sensor(t, "", "8", "")
	g.submit(t, n)
	g.relay(t)
	rep := g.run(t, reconcile.Options{Incremental: true})
	if rep.Records != 1 || rep.Cursor != 6 || rep.RecordVerdicts[reconcile.Consistent] != 1 {
		t.Fatalf("one new: %+v", rep)
	}
	if rep := g.run(t, reconcile.Options{RecordIDs: []string{n.ID, "urn:uuid:unknown"}}); rep.Records != 1 {
		t.Fatalf("by id: %+v", rep)
	}
}
