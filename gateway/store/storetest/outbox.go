package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/schema"
)

// drain claims everything currently due for owner.
func claimAll(t *testing.T, s store.Store, owner string, lease time.Duration) []store.Delivery {
	t.Helper()
	got, err := s.Claim(context.Background(), owner, 1000, lease)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func outboxLeases(t *testing.T, s store.Store) {
	ctx := context.Background()
	v := version(1, "")
	if _, err := s.Accept(ctx, v, deliveries("ethereum", "factom"), audit()); err != nil {
		t.Fatal(err)
	}
	mine := func(ds []store.Delivery) []store.Delivery {
		var out []store.Delivery
		for _, d := range ds {
			if d.RecordID == v.RecordID {
				out = append(out, d)
			}
		}
		return out
	}
	a := mine(claimAll(t, s, "worker-a", time.Minute))
	if len(a) != 2 {
		t.Fatalf("worker-a claimed %d of 2 deliveries", len(a))
	}
	if b := mine(claimAll(t, s, "worker-b", time.Minute)); len(b) != 0 {
		t.Fatalf("worker-b claimed leased deliveries: %+v", b)
	}
	// Progress keeps the lease: nobody else can claim it meanwhile.
	prog := a[0]
	prog.State = store.StateSubmitted
	if err := s.Progress(ctx, "worker-a", prog); err != nil {
		t.Fatal(err)
	}
	if b := mine(claimAll(t, s, "worker-b", time.Minute)); len(b) != 0 {
		t.Fatalf("worker-b claimed a delivery still leased after Progress: %+v", b)
	}
	if err := s.Progress(ctx, "worker-b", prog, store.AuditEntry{Actor: "worker-b", Action: "delivery.submitted", RecordID: v.RecordID}); !errors.Is(err, store.ErrLeaseLost) {
		t.Fatalf("Progress by a non-owner = %v, want ErrLeaseLost", err)
	}
	// Audit entries come with an update that is stored, and only then.
	if err := s.Progress(ctx, "worker-a", prog, store.AuditEntry{Actor: "worker-a", Action: "delivery.submitted", RecordID: v.RecordID, Detail: "ethereum"}); err != nil {
		t.Fatal(err)
	}
	log, err := s.AuditLog(ctx, v.RecordID, 10)
	if err != nil {
		t.Fatal(err)
	}
	var actors []string
	for _, e := range log {
		if e.Action == "delivery.submitted" {
			actors = append(actors, e.Actor)
		}
	}
	if len(actors) != 1 || actors[0] != "worker-a" {
		t.Fatalf("submitted entries by %v, want one by worker-a (the lost lease's entry must not be stored)", actors)
	}
	// Worker a submits one: it comes back when due.
	d := a[0]
	d.State, d.Attempts, d.NextAttempt = store.StateSubmitted, 1, time.Now().Add(-time.Second)
	if err := s.Update(ctx, "worker-a", d); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, "worker-b", a[1]); !errors.Is(err, store.ErrLeaseLost) {
		t.Fatalf("Update by a non-owner = %v, want ErrLeaseLost", err)
	}
	again := mine(claimAll(t, s, "worker-b", time.Minute))
	if len(again) != 1 || again[0].State != store.StateSubmitted || again[0].Attempts != 1 {
		t.Fatalf("re-claim of a submitted delivery = %+v", again)
	}
	// Confirm it with a receipt: final, never claimed again.
	rc := adapters.Receipt{Ledger: "ethereum", RecordID: v.RecordID, Digest: v.Digest, TxID: "0xabc", Block: 7, Status: adapters.StatusConfirmed}
	fin := again[0]
	fin.State, fin.Receipt = store.StateConfirmed, &rc
	if err := s.Update(ctx, "worker-b", fin); err != nil {
		t.Fatal(err)
	}
	// A delivery whose next attempt is in the future is not due.
	later := a[1]
	later.State, later.NextAttempt, later.Error = store.StatePending, time.Now().Add(time.Hour), "ledger unavailable"
	if err := s.Update(ctx, "worker-a", later); err != nil {
		t.Fatal(err)
	}
	if got := mine(claimAll(t, s, "worker-c", time.Minute)); len(got) != 0 {
		t.Fatalf("claimed deliveries that are final or not due: %+v", got)
	}
	ds, err := s.Deliveries(ctx, v.RecordID, v.Digest)
	if err != nil || len(ds) != 2 {
		t.Fatalf("Deliveries = %+v, %v", ds, err)
	}
	for _, x := range ds {
		switch x.Ledger {
		case fin.Ledger:
			if x.State != store.StateConfirmed || x.Receipt == nil || x.Receipt.TxID != "0xabc" {
				t.Fatalf("confirmed delivery = %+v", x)
			}
		default:
			if x.State != store.StatePending || x.Error != "ledger unavailable" {
				t.Fatalf("retrying delivery = %+v", x)
			}
		}
	}
	counts, err := s.Counts(ctx)
	if err != nil || counts[store.StateConfirmed] < 1 || counts[store.StatePending] < 1 {
		t.Fatalf("Counts = %v, %v", counts, err)
	}
	// An expired lease is taken over, and the old owner's update is refused.
	v2 := version(2, "")
	if _, err := s.Accept(ctx, v2, deliveries("fabric"), audit()); err != nil {
		t.Fatal(err)
	}
	var short []store.Delivery
	for _, x := range claimAll(t, s, "worker-slow", 30*time.Millisecond) {
		if x.RecordID == v2.RecordID {
			short = append(short, x)
		}
	}
	if len(short) != 1 {
		t.Fatalf("claimed %d", len(short))
	}
	deadline := time.Now().Add(10 * time.Second)
	var taken []store.Delivery
	for len(taken) == 0 && time.Now().Before(deadline) {
		time.Sleep(40 * time.Millisecond)
		for _, x := range claimAll(t, s, "worker-fast", time.Minute) {
			if x.RecordID == v2.RecordID {
				taken = append(taken, x)
			}
		}
	}
	if len(taken) != 1 {
		t.Fatal("an expired lease was never taken over")
	}
	if err := s.Update(ctx, "worker-slow", short[0]); !errors.Is(err, store.ErrLeaseLost) {
		t.Fatalf("update after losing the lease = %v, want ErrLeaseLost", err)
	}
	if err := s.Renew(ctx, "worker-slow", short[0], time.Minute); !errors.Is(err, store.ErrLeaseLost) {
		t.Fatalf("renewal after losing the lease = %v, want ErrLeaseLost", err)
	}
}

// outboxRenew: a renewed lease outlasts its first term and keeps the
// delivery from other workers; only its owner can renew it.
func outboxRenew(t *testing.T, s store.Store) {
	ctx := context.Background()
	v := version(3, "")
	if _, err := s.Accept(ctx, v, deliveries("fabric"), audit()); err != nil {
		t.Fatal(err)
	}
	// Long enough for two renewals (grouped writes, each waiting for a
	// commit) on a loaded machine under -race: 50 ms failed 2 of 40
	// runs beside three busy loops.
	const term = 300 * time.Millisecond
	var held []store.Delivery
	for _, x := range claimAll(t, s, "worker-renew", term) {
		if x.RecordID == v.RecordID {
			held = append(held, x)
		}
	}
	if len(held) != 1 {
		t.Fatalf("claimed %d deliveries of %s, want 1", len(held), v.RecordID)
	}
	if err := s.Renew(ctx, "worker-other", held[0], time.Minute); !errors.Is(err, store.ErrLeaseLost) {
		t.Fatalf("renewal by a non-owner = %v, want ErrLeaseLost", err)
	}
	if err := s.Renew(ctx, "worker-renew", held[0], time.Minute); err != nil {
		t.Fatalf("renewal by the owner: %v", err)
	}
	time.Sleep(3 * term)
	for _, x := range claimAll(t, s, "worker-other", time.Minute) {
		if x.RecordID == v.RecordID {
			t.Fatalf("a renewed lease was taken over after its first term: %+v", x)
		}
	}
	fin := held[0]
	fin.State = store.StateConfirmed
	if err := s.Update(ctx, "worker-renew", fin); err != nil {
		t.Fatalf("update after renewal: %v", err)
	}
	if err := s.Renew(ctx, "worker-renew", fin, time.Minute); !errors.Is(err, store.ErrLeaseLost) {
		t.Fatalf("renewal of a released lease = %v, want ErrLeaseLost", err)
	}
}

func outboxConcurrency(t *testing.T, s store.Store) {
	ctx := context.Background()
	want := map[string]bool{}
	for i := range 60 {
		v := version(i, "")
		if _, err := s.Accept(ctx, v, deliveries("memory"), audit()); err != nil {
			t.Fatal(err)
		}
		want[v.RecordID] = true
	}
	var mu sync.Mutex
	claimedBy := map[string]string{}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 4 {
		owner := fmt.Sprintf("w%d", w)
		wg.Go(func() {
			for {
				ds, err := s.Claim(ctx, owner, 5, time.Minute)
				if err != nil {
					errs <- err
					return
				}
				if len(ds) == 0 {
					return
				}
				for _, d := range ds {
					mu.Lock()
					if prev, dup := claimedBy[d.RecordID]; dup && want[d.RecordID] {
						errs <- fmt.Errorf("%s claimed by %s and %s", d.RecordID, prev, owner)
					}
					claimedBy[d.RecordID] = owner
					mu.Unlock()
					d.State = store.StateConfirmed
					if err := s.Update(ctx, owner, d); err != nil {
						errs <- err
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for id := range want {
		if claimedBy[id] == "" {
			t.Errorf("delivery of %s never claimed", id)
		}
	}
}

func checkpoints(t *testing.T, s store.Store) {
	ctx := context.Background()
	src := "src-" + newID()
	if cp, err := s.Checkpoint(ctx, src); err != nil || cp != "" {
		t.Fatalf("unknown source = %q, %v", cp, err)
	}
	for _, cp := range []adapters.Checkpoint{"10:0", "10:3", "12:1"} {
		if err := s.SetCheckpoint(ctx, src, cp); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Checkpoint(ctx, src); err != nil || got != cp {
			t.Fatalf("Checkpoint = %q, %v; want %q", got, err, cp)
		}
	}
}

func auditLog(t *testing.T, s store.Store) {
	ctx := context.Background()
	id := newID()
	for _, a := range []string{"delivery.submitted", "delivery.confirmed"} {
		if err := s.AppendAudit(ctx, store.AuditEntry{Actor: "relay", Action: a, RecordID: id, Detail: "ethereum"}); err != nil {
			t.Fatal(err)
		}
	}
	log, err := s.AuditLog(ctx, id, 10)
	if err != nil || len(log) != 2 || log[0].Action != "delivery.confirmed" || log[1].Action != "delivery.submitted" || log[0].Time.IsZero() {
		t.Fatalf("AuditLog = %+v, %v (want newest first)", log, err)
	}
}

// versionDeliveries: a store that reads the deliveries of many versions
// at once answers as Deliveries does for each.
func versionDeliveries(t *testing.T, s store.Store) {
	vd, ok := s.(store.VersionDeliveries)
	if !ok {
		t.Skip("the store does not implement store.VersionDeliveries")
	}
	ctx := context.Background()
	a1 := version(1, "")
	r1, err := s.Accept(ctx, a1, deliveries("eth", "factom"), audit())
	if err != nil {
		t.Fatal(err)
	}
	r2, err := s.Accept(ctx, versionOf(a1.RecordID, 2, a1.Digest), deliveries("eth"), audit())
	if err != nil {
		t.Fatal(err)
	}
	r3, err := s.Accept(ctx, version(3, ""), nil, audit()) // no deliveries
	if err != nil {
		t.Fatal(err)
	}
	got, err := vd.DeliveriesOfVersions(ctx, []int64{r1.Version.Seq, r2.Version.Seq, r3.Version.Seq, r3.Version.Seq + 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || len(got[r3.Version.Seq]) != 0 {
		t.Fatalf("deliveries of versions: %+v", got)
	}
	for _, r := range []store.AcceptResult{r1, r2} {
		want, err := s.Deliveries(ctx, r.Version.RecordID, r.Version.Digest)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[r.Version.Seq], want) {
			t.Fatalf("version %d: got %+v, Deliveries says %+v", r.Version.Seq, got[r.Version.Seq], want)
		}
	}
	if len(got[r1.Version.Seq]) != 2 || got[r1.Version.Seq][0].Ledger != "eth" || got[r2.Version.Seq][0].Digest != r2.Version.Digest {
		t.Fatalf("deliveries of versions: %+v", got)
	}
}

// outboxVersionOrder: a version's delivery is not claimed while an earlier
// version of its record is still pending or submitted to the same ledger
// (the ledger would refuse it as a conflict, finally); deliveries to other
// ledgers, and versions whose predecessor has landed, are.
func outboxVersionOrder(t *testing.T, s store.Store) {
	ctx := context.Background()
	v1 := version(1, "")
	if _, err := s.Accept(ctx, v1, deliveries("eth", "fabric"), audit()); err != nil {
		t.Fatal(err)
	}
	v2 := versionOf(v1.RecordID, 2, v1.Digest)
	if _, err := s.Accept(ctx, v2, deliveries("eth", "factom"), audit()); err != nil {
		t.Fatal(err)
	}
	v3 := versionOf(v1.RecordID, 3, v2.Digest)
	if _, err := s.Accept(ctx, v3, deliveries("eth"), audit()); err != nil {
		t.Fatal(err)
	}
	claim := func(owner string) map[string]store.Delivery {
		out := map[string]store.Delivery{}
		for _, d := range claimAll(t, s, owner, time.Minute) {
			if d.RecordID == v1.RecordID {
				out[fmt.Sprintf("v%d/%s", map[schema.Digest]int{v1.Digest: 1, v2.Digest: 2, v3.Digest: 3}[d.Digest], d.Ledger)] = d
			}
		}
		return out
	}
	keys := func(m map[string]store.Delivery) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	got := claim("w1")
	if k := keys(got); !slices.Equal(k, []string{"v1/eth", "v1/fabric", "v2/factom"}) {
		t.Fatalf("claimed %v; want v1 on both its ledgers and v2 on factom (no earlier version there), not v2 or v3 on eth", k)
	}
	// v1 submitted to eth: v2 still waits.
	d := got["v1/eth"]
	d.State, d.Attempts = store.StateSubmitted, 1
	d.NextAttempt = time.Now().Add(-time.Second)
	if err := s.Update(ctx, "w1", d); err != nil {
		t.Fatal(err)
	}
	got = claim("w2")
	if k := keys(got); !slices.Equal(k, []string{"v1/eth"}) {
		t.Fatalf("with v1 submitted to eth, claimed %v; want only v1/eth again", k)
	}
	// v1 committed on eth: v2 may go, v3 still waits for it.
	d = got["v1/eth"]
	d.State, d.Receipt = store.StateCommitted, &adapters.Receipt{TxID: "0x1", Status: adapters.StatusCommitted}
	d.NextAttempt = time.Now().Add(time.Hour)
	if err := s.Update(ctx, "w2", d); err != nil {
		t.Fatal(err)
	}
	if k := keys(claim("w4")); !slices.Equal(k, []string{"v2/eth"}) {
		t.Fatalf("with v1 committed on eth, claimed %v; want v2/eth alone (v3 waits for it)", k)
	}
}

// outboxDeliveryVersion: the version a claimed delivery delivers reads
// back whole, through the key the store gave the delivery or, without
// it, by record id and digest; a delivery of no stored version is not
// found.
func outboxDeliveryVersion(t *testing.T, s store.Store) {
	ctx := context.Background()
	v := version(4, "")
	if _, err := s.Accept(ctx, v, deliveries("fabric"), audit()); err != nil {
		t.Fatal(err)
	}
	var d store.Delivery
	for _, x := range claimAll(t, s, "worker-version", time.Minute) {
		if x.RecordID == v.RecordID {
			d = x
		}
	}
	if d.RecordID == "" {
		t.Fatal("the delivery was not claimed")
	}
	bare := d
	bare.VSeq = 0
	for name, x := range map[string]store.Delivery{"as claimed": d, "without its key": bare} {
		got, err := s.DeliveryVersion(ctx, x)
		if err != nil || got.RecordID != v.RecordID || got.Digest != v.Digest || string(got.Canonical) != string(v.Canonical) {
			t.Fatalf("DeliveryVersion of the delivery %s = %+v, %v; want the version accepted", name, got, err)
		}
	}
	other := d
	other.Digest = digest("not stored")
	if _, err := s.DeliveryVersion(ctx, other); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("DeliveryVersion of another digest = %v, want ErrNotFound", err)
	}
	other.VSeq = 0
	if _, err := s.DeliveryVersion(ctx, other); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("DeliveryVersion of another digest without a key = %v, want ErrNotFound", err)
	}
}
