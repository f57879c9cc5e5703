package verify_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/factom"
	"github.com/ledgergate/ledgergate/adapters/factom/client"
	"github.com/ledgergate/ledgergate/adapters/factom/node"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
	"github.com/ledgergate/ledgergate/adapters/memory"
	"github.com/ledgergate/ledgergate/conformance"
	"github.com/ledgergate/ledgergate/gateway/verify"
	"github.com/ledgergate/ledgergate/internal/config"
	"github.com/ledgergate/ledgergate/schema"
)

func reading(t *testing.T, id, value string, supersedes schema.Digest) *schema.Record {
	t.Helper()
	doc := conformance.SensorDoc(t)
	if id != "" {
		doc["id"] = id
	}
	doc["value"] = value
	if supersedes != "" {
		doc["supersedes"] = string(supersedes)
	}
	return conformance.RecordOf(t, doc)
}

func TestCheckMemory(t *testing.T) {
	ctx := context.Background()
	a := memory.New(memory.NewLedger())
	ls := []verify.Ledger{{Name: "m", Kind: "memory", Adapter: a}}
	v1 := reading(t, "", "1", "")
	rc1, err := a.Write(ctx, v1, adapters.Policy{Disclosure: adapters.DisclosureDigest})
	if err != nil {
		t.Fatal(err)
	}
	res, err := verify.Check(ctx, ls, verify.Request{Record: v1.Canonical})
	if err != nil || !res.Verified || !res.Current || res.Digest != v1.Digest || !res.Ledgers[0].Verified {
		t.Fatalf("genuine record: %+v %v", res, err)
	}
	// An altered reading (integrity of a sensor reading).
	altered := strings.Replace(string(v1.Canonical), `"value":"1"`, `"value":"9"`, 1)
	res, err = verify.Check(ctx, ls, verify.Request{Record: json.RawMessage(altered)})
	if err != nil || res.Verified || res.Ledgers[0].Found || res.Ledgers[0].Head != v1.Digest {
		t.Fatalf("altered record: %+v %v", res, err)
	}
	// Superseded: still verified, not current.
	v2 := reading(t, v1.ID, "2", v1.Digest)
	if _, err := a.Write(ctx, v2, adapters.Policy{Disclosure: adapters.DisclosureDigest}); err != nil {
		t.Fatal(err)
	}
	res, _ = verify.Check(ctx, ls, verify.Request{ID: v1.ID, Digest: v1.Digest})
	if !res.Verified || res.Current || res.Ledgers[0].Head != v2.Digest || !strings.Contains(res.Summary, "superseded") {
		t.Fatalf("superseded: %+v", res)
	}
	// A receipt as given; a forged one.
	res, _ = verify.Check(ctx, ls, verify.Request{Receipts: []adapters.Receipt{rc1}})
	if !res.Verified {
		t.Fatalf("receipt: %+v", res)
	}
	forged := rc1
	forged.BlockHash = "0xdead"
	res, _ = verify.Check(ctx, ls, verify.Request{Receipts: []adapters.Receipt{forged}})
	if res.Verified {
		t.Fatalf("forged receipt verified: %+v", res)
	}
	// Bad requests.
	for _, req := range []verify.Request{{}, {ID: "x"}, {ID: "x", Digest: "md5:1"}, {Record: json.RawMessage(`{"no":"id"}`)}, {Record: v1.Canonical, Digest: v2.Digest}} {
		if _, err := verify.Check(ctx, ls, req); !errors.Is(err, verify.ErrBadRequest) {
			t.Errorf("%+v: %v", req, err)
		}
	}
}

func TestParseFile(t *testing.T) {
	rec := reading(t, "", "1", "")
	for name, tc := range map[string]struct {
		in    string
		check func(verify.Request) bool
	}{
		"record":  {string(rec.Canonical), func(r verify.Request) bool { return len(r.Record) > 0 }},
		"receipt": {`{"ledger":"ethereum","txId":"0x01","recordId":"a","digest":"sha256:00"}`, func(r verify.Request) bool { return len(r.Receipts) == 1 }},
		"view": {`{"id":"a","digest":"sha256:00","status":"confirmed","ledgers":[{"ledger":"x","receipt":{"ledger":"factom","txId":"ab"}},{"ledger":"y"}]}`,
			func(r verify.Request) bool { return r.ID == "a" && len(r.Receipts) == 1 }},
		"request": {`{"id":"a","digest":"sha256:00"}`, func(r verify.Request) bool { return r.ID == "a" && r.Digest == "sha256:00" }},
	} {
		r, err := verify.ParseFile([]byte(tc.in))
		if err != nil || !tc.check(r) {
			t.Errorf("%s: %+v %v", name, r, err)
		}
	}
	if _, err := verify.ParseFile([]byte("[1]")); !errors.Is(err, verify.ErrBadRequest) {
		t.Errorf("array: %v", err)
	}
}

// TestOpenFactomIndependently writes through one adapter, then verifies
// through a read-only one opened from configuration alone (the node's v2
// URL): entry + Merkle receipt up to the directory block KeyMR.
func TestOpenFactomIndependently(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	key, _ := protocol.GenerateECKey()
	n, err := node.New(t.TempDir(), node.WithFunds(key.Public(), 1_000_000))
	if err != nil {
		t.Fatal(err)
	}
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	sctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.Serve(sctx, l) }()
	t.Cleanup(func() { stop(); <-done; _ = n.Close() })
	url := "http://" + l.Addr().String()
	w, err := factom.New(ctx, client.New(url), factom.WithECKey(key), factom.WithNamespace("ledgergate"), factom.WithPollInterval(5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rec := reading(t, "", "5", "")
	if _, err := w.Write(ctx, rec, adapters.Policy{Disclosure: adapters.DisclosureDigest}); err != nil {
		t.Fatal(err)
	}
	ls, skipped, closeAll, err := verify.Open(ctx, []config.Ledger{{Name: "f", Kind: "factom", URL: url}, {Name: "m", Kind: "memory"}})
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll()
	if len(ls) != 1 || len(skipped) != 1 {
		t.Fatalf("opened %d, skipped %v", len(ls), skipped)
	}
	var res verify.Result
	for ctx.Err() == nil { // the entry is in a block once the node seals it
		if res, err = verify.Check(ctx, ls, verify.Request{Record: rec.Canonical}); err == nil && res.Verified {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !res.Verified || !strings.Contains(res.Ledgers[0].Detail, "directory block") {
		t.Fatalf("factom: %+v", res)
	}
}
