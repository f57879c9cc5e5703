package factom_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/factom"
	"github.com/ledgergate/ledgergate/adapters/factom/client"
	"github.com/ledgergate/ledgergate/adapters/factom/node"
)

// Two adapters on one ledger see each other's writes and enforce the
// version rules on each other's versions.
func TestAdaptersShareTheLedger(t *testing.T) {
	ctx := testCtx(t, time.Minute)
	e := startNode(t)
	a, b := e.open(t, "shared"), e.open(t, "shared")
	id := newID()
	v1 := record(t, id, "1", "")
	rc1, err := a.Write(ctx, v1, full)
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.Read(ctx, id)
	if err != nil || got.Digest != v1.Digest {
		t.Fatalf("b.Read after a.Write = %v, %v", got.Digest, err)
	}
	if rc, err := b.Write(ctx, v1, full); err != nil || rc.TxID != rc1.TxID {
		t.Fatalf("b rewriting a's version = %+v, %v; want a's receipt", rc, err)
	}
	v2 := record(t, id, "2", v1.Digest)
	if _, err := b.Write(ctx, v2, full); err != nil {
		t.Fatal(err)
	}
	stale := record(t, id, "3", v1.Digest)
	var rej *adapters.RejectedError
	if _, err := a.Write(ctx, stale, full); !errors.As(err, &rej) || rej.Reason != adapters.ReasonConflict {
		t.Fatalf("a superseding a version b replaced = %v, want a conflict", err)
	}
	if got, _ := a.Read(ctx, id); got.Digest != v2.Digest {
		t.Fatalf("a.Read = %s, want b's %s", got.Digest, v2.Digest)
	}
	// Another namespace on the same ledger sees nothing.
	if _, err := e.open(t, "other").Read(ctx, id); !errors.Is(err, adapters.ErrNotFound) {
		t.Fatalf("Read in another namespace = %v, want ErrNotFound", err)
	}
}

// Two adapters race to write different first versions of one id: one
// wins, the other is told of the conflict, and both read the winner.
func TestConflictingWritersAgree(t *testing.T) {
	ctx := testCtx(t, time.Minute)
	e := startNode(t)
	for range 5 {
		a, b := e.open(t, "race"), e.open(t, "race")
		id := newID()
		ra, rb := record(t, id, "10", ""), record(t, id, "20", "")
		var wg sync.WaitGroup
		var errA, errB error
		var rcA, rcB adapters.Receipt
		wg.Go(func() { rcA, errA = a.Write(ctx, ra, full) })
		wg.Go(func() { rcB, errB = b.Write(ctx, rb, full) })
		wg.Wait()
		var rej *adapters.RejectedError
		switch {
		case errA == nil && errB == nil:
			t.Fatalf("both conflicting versions were accepted: %s %s", rcA.TxID, rcB.TxID)
		case errA != nil && errB != nil:
			t.Fatalf("both writers failed: %v / %v", errA, errB)
		case errA != nil && !errors.As(errA, &rej), errB != nil && !errors.As(errB, &rej):
			t.Fatalf("the loser's error is not a rejection: %v / %v", errA, errB)
		}
		winner := ra.Digest
		if errA != nil {
			winner = rb.Digest
		}
		for _, x := range []*factom.Adapter{a, b, e.open(t, "race")} {
			if got, err := x.Read(ctx, id); err != nil || got.Digest != winner {
				t.Fatalf("Read = %s, %v; want the winner %s", got.Digest, err, winner)
			}
		}
	}
}

func TestVerifyAndProof(t *testing.T) {
	ctx := testCtx(t, time.Minute)
	e := startNode(t)
	a := e.open(t, "verify")
	rec := record(t, newID(), "1", "")
	rc, err := a.Write(ctx, rec, full)
	if err != nil {
		t.Fatal(err)
	}
	if err := factom.VerifyProof(rc); err != nil {
		t.Fatalf("VerifyProof(own receipt): %v", err)
	}
	if v, err := a.Verify(ctx, rc); err != nil || !v.OK || v.Digest != rec.Digest {
		t.Fatalf("Verify = %+v, %v", v, err)
	}
	tamper := map[string]func(r *adapters.Receipt){
		"digest":     func(r *adapters.Receipt) { r.Digest = record(t, newID(), "99", "").Digest },
		"record id":  func(r *adapters.Receipt) { r.RecordID = newID() },
		"block hash": func(r *adapters.Receipt) { r.BlockHash = "00" + r.BlockHash[2:] },
		"block":      func(r *adapters.Receipt) { r.Block++ },
		"entry hash": func(r *adapters.Receipt) { r.TxID = "00" + r.TxID[2:] },
	}
	for name, f := range tamper {
		bad := rc
		f(&bad)
		if v, err := a.Verify(ctx, bad); err != nil || v.OK {
			t.Errorf("Verify with a tampered %s = %+v, %v; want not OK", name, v, err)
		}
	}
	// The offline check catches a tampered Merkle branch.
	var p factom.Proof
	_ = json.Unmarshal(rc.Proof, &p)
	p.Receipt.MerkleBranch[0].Left, p.Receipt.MerkleBranch[0].Right = p.Receipt.MerkleBranch[0].Right, p.Receipt.MerkleBranch[0].Left
	bad := rc
	bad.Proof, _ = json.Marshal(p)
	if err := factom.VerifyProof(bad); err == nil {
		t.Error("VerifyProof accepted a branch with swapped children")
	}
}

// A node restarted on its directory serves the same ledger: a new
// adapter reads the records and their receipts unchanged.
func TestRestartedNode(t *testing.T) {
	ctx := testCtx(t, time.Minute)
	key := node.DevKey()
	dir := t.TempDir()
	run := func() (*node.Node, *client.Client, func()) {
		n, err := node.New(dir, node.WithDevKey())
		if err != nil {
			t.Fatal(err)
		}
		l, _ := net.Listen("tcp", "127.0.0.1:0")
		sctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { _ = n.Serve(sctx, l); close(done) }()
		return n, client.New("http://" + l.Addr().String()), func() { cancel(); <-done; _ = n.Close() }
	}
	_, c, stop := run()
	a, err := factom.New(ctx, c, factom.WithECKey(key), factom.WithPollInterval(5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	rec := record(t, newID(), "1", "")
	rc, err := a.Write(ctx, rec, full)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	// The node is down: nothing can be applied, and the adapter says so.
	if _, err := a.Write(ctx, record(t, newID(), "2", ""), full); !errors.Is(err, adapters.ErrUnavailable) {
		t.Fatalf("Write to a stopped node = %v, want ErrUnavailable", err)
	}
	_, c2, stop2 := run()
	defer stop2()
	b, err := factom.New(ctx, c2, factom.WithECKey(key), factom.WithPollInterval(5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.Read(ctx, rec.ID)
	if err != nil || got.Digest != rec.Digest || got.Receipt.TxID != rc.TxID || got.Receipt.BlockHash != rc.BlockHash {
		t.Fatalf("after restart Read = %+v, %v; before %+v", got.Receipt, err, rc)
	}
}

func TestUnreachable(t *testing.T) {
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	_, err := factom.New(context.Background(), client.New("http://"+addr), factom.WithECKey(node.DevKey()))
	if !errors.Is(err, adapters.ErrUnavailable) {
		t.Fatalf("New against a closed port = %v, want ErrUnavailable", err)
	}
}

func TestTooLargeForAnEntry(t *testing.T) {
	ctx := testCtx(t, time.Minute)
	e := startNode(t)
	a := e.open(t, "large")
	base := record(t, newID(), "1", "")
	var doc map[string]any
	_ = json.Unmarshal(base.Canonical, &doc)
	doc["extensions"] = map[string]any{"org.example:pad": string(make([]byte, 0)) + repeat("x", 12000)}
	b, _ := json.Marshal(doc)
	big, err := schemaValidate(b)
	if err != nil {
		t.Fatal(err)
	}
	before := e.spent(t)
	var rej *adapters.RejectedError
	if _, err := a.Write(ctx, big, full); !errors.As(err, &rej) || rej.Reason != adapters.ReasonTooLarge {
		t.Fatalf("a 12 KB record under full disclosure = %v, want too-large", err)
	}
	if e.spent(t) != before {
		t.Fatal("the refused record cost entry credits")
	}
	if _, err := a.Write(ctx, big, adapters.Policy{Disclosure: adapters.DisclosureDigest}); err != nil {
		t.Fatalf("the same record under digest disclosure: %v", err)
	}
}
