package fabric_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/fabric"
	"github.com/ledgergate/ledgergate/adapters/fabric/fabrictest"
	"github.com/ledgergate/ledgergate/schema"
)

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// Both organizations endorse every write (the chaincode's policy is
// AND('CustomsMSP.peer','PartnerMSP.peer')), and the partner's user reads
// and verifies what the customs user wrote, through the partner's peer.
func TestTwoOrgs(t *testing.T) {
	n := fabrictest.Need(t)
	ctx := ctxT(t)
	customs, partner := open(t, n, "customs"), open(t, n, "partner")
	rec := record(t)
	rc, err := customs.Write(ctx, rec, full)
	if err != nil {
		t.Fatal(err)
	}
	var p fabric.Proof
	if err := json.Unmarshal(rc.Proof, &p); err != nil {
		t.Fatal(err)
	}
	slices.Sort(p.Endorsers)
	if !slices.Equal(p.Endorsers, []string{"CustomsMSP", "PartnerMSP"}) || p.Creator != "CustomsMSP" || p.ValidationCode != "VALID" {
		t.Fatalf("proof = %+v; want endorsements of both orgs, creator CustomsMSP, VALID", p)
	}
	if p.Block != rc.Block || p.TxID != rc.TxID || p.TxIndex != rc.Index || len(p.BlockHash) != 64 || p.BlockHash != rc.BlockHash {
		t.Fatalf("proof %+v does not match receipt %+v", p, rc)
	}
	got, err := partner.Read(ctx, rec.ID)
	if err != nil || got.Digest != rec.Digest || string(got.Content) != string(rec.Canonical) {
		t.Fatalf("partner Read = %+v, %v", got, err)
	}
	if got.Receipt.TxID != rc.TxID || got.Receipt.Block != rc.Block || got.Receipt.BlockHash != rc.BlockHash {
		t.Fatalf("partner sees receipt %+v, customs got %+v", got.Receipt, rc)
	}
	v, err := partner.Verify(ctx, rc)
	if err != nil || !v.OK {
		t.Fatalf("partner Verify = %+v, %v", v, err)
	}
	// A receipt that lies about the digest or the block does not verify.
	bad := rc
	bad.Digest = schema.DigestOf([]byte("other"))
	if v, err := partner.Verify(ctx, bad); err != nil || v.OK {
		t.Fatalf("Verify(wrong digest) = %+v, %v", v, err)
	}
	bad = rc
	bad.Block++
	if v, err := partner.Verify(ctx, bad); err != nil || v.OK {
		t.Fatalf("Verify(wrong block) = %+v, %v", v, err)
	}
}

// A transaction endorsed by one organization only is invalidated at
// commit (ENDORSEMENT_POLICY_FAILURE) and changes nothing.
func TestEndorsementPolicyNeedsBothOrgs(t *testing.T) {
	n := fabrictest.Need(t)
	ctx := ctxT(t)
	gw := gateway(t, n, "customs")
	contract := gw.GetNetwork(n.Channel).GetContract(n.Chaincode)
	rec := record(t)
	prop, err := contract.NewProposal("Put", client.WithArguments("full", rec.ID, rec.Type, rec.Issuer.ID, string(rec.Digest), "", string(rec.Canonical)),
		client.WithEndorsingOrganizations("CustomsMSP"))
	if err != nil {
		t.Fatal(err)
	}
	txn, err := prop.EndorseWithContext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	commit, err := txn.SubmitWithContext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st, err := commit.StatusWithContext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Successful || st.Code != peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE {
		t.Fatalf("single-org endorsement committed with %s, want ENDORSEMENT_POLICY_FAILURE", st.Code)
	}
	a := open(t, n, "customs")
	if _, err := a.Read(ctx, rec.ID); !errors.Is(err, adapters.ErrNotFound) {
		t.Fatalf("Read after an invalidated write = %v, want ErrNotFound", err)
	}
}

// The chaincode checks what it is given, whoever submits: a full record
// whose digest or envelope does not match its bytes, a record that fails
// the schema, or a redacted record that is not canonical is refused at
// endorsement.
func TestChaincodeValidates(t *testing.T) {
	n := fabrictest.Need(t)
	ctx := ctxT(t)
	contract := gateway(t, n, "partner").GetNetwork(n.Channel).GetContract(n.Chaincode)
	rec := record(t)
	other := record(t)
	invalid := strings.Replace(string(rec.Canonical), `"sensorType":"radiation"`, `"sensorType":"telepathy"`, 1)
	d := string(rec.Digest)
	cases := map[string][]string{
		"digest mismatch":     {"full", rec.ID, rec.Type, rec.Issuer.ID, string(other.Digest), "", string(rec.Canonical)},
		"id mismatch":         {"full", other.ID, rec.Type, rec.Issuer.ID, d, "", string(rec.Canonical)},
		"schema violation":    {"full", rec.ID, rec.Type, rec.Issuer.ID, string(schema.DigestOf([]byte(invalid))), "", invalid},
		"non-canonical":       {"full", rec.ID, rec.Type, rec.Issuer.ID, d, "", " " + string(rec.Canonical)},
		"bad digest format":   {"digest", rec.ID, rec.Type, rec.Issuer.ID, "md5:abc", "", ""},
		"unknown type":        {"digest", rec.ID, "Horoscope", rec.Issuer.ID, d, "", ""},
		"redacted not canon.": {"redacted", rec.ID, rec.Type, rec.Issuer.ID, d, "", `{ "id": "x" }`},
		"redacted envelope":   {"redacted", rec.ID, rec.Type, rec.Issuer.ID, d, "", `{"id":"` + other.ID + `"}`},
		"digest with content": {"digest", rec.ID, rec.Type, rec.Issuer.ID, d, "", "{}"},
		"unknown disclosure":  {"everything", rec.ID, rec.Type, rec.Issuer.ID, d, "", ""},
	}
	for name, args := range cases {
		_, err := contract.SubmitWithContext(ctx, "Put", client.WithArguments(args...))
		var ee *client.EndorseError
		if !errors.As(err, &ee) || !strings.Contains(fmt.Sprint(err)+details(err), "LG_") {
			t.Errorf("%s: Put = %v, want an endorsement refusal with an LG_ code", name, err)
		}
	}
}

func details(err error) string {
	var ee *client.EndorseError
	if errors.As(err, &ee) {
		if st := ee.GRPCStatus(); st != nil {
			return fmt.Sprint(st.Details())
		}
	}
	return ""
}

// Two organizations race to supersede the same version: one wins, the
// other is refused as a conflict (after an MVCC conflict, the adapter
// looks again and finds the winner).
func TestCompetingVersions(t *testing.T) {
	n := fabrictest.Need(t)
	ctx := ctxT(t)
	customs, partner := open(t, n, "customs"), open(t, n, "partner")
	for round := range 3 {
		v1 := record(t)
		if _, err := customs.Write(ctx, v1, full); err != nil {
			t.Fatal(err)
		}
		a, b := next(t, v1, "101"), next(t, v1, "202")
		var errA, errB error
		var wg sync.WaitGroup
		wg.Go(func() { _, errA = customs.Write(ctx, a, full) })
		wg.Go(func() { _, errB = partner.Write(ctx, b, full) })
		wg.Wait()
		var rej *adapters.RejectedError
		switch {
		case errA == nil && errors.As(errB, &rej) && rej.Reason == adapters.ReasonConflict:
		case errB == nil && errors.As(errA, &rej) && rej.Reason == adapters.ReasonConflict:
		default:
			t.Fatalf("round %d: competing versions: customs %v, partner %v; want one success and one conflict", round, errA, errB)
		}
	}
	// The same version from both at once: both get the one receipt.
	rec := record(t)
	var rcs [2]adapters.Receipt
	var errs [2]error
	var wg sync.WaitGroup
	for i, a := range []*fabric.Adapter{customs, partner} {
		wg.Go(func() { rcs[i], errs[i] = a.Write(ctx, rec, digest) })
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil || rcs[0].TxID != rcs[1].TxID {
		t.Fatalf("same record from two writers: %v / %v, tx %s / %s", errs[0], errs[1], rcs[0].TxID, rcs[1].TxID)
	}
}

// History and Query are the chaincode's read functions beyond what the
// adapter contract needs.
func TestHistoryAndQuery(t *testing.T) {
	n := fabrictest.Need(t)
	ctx := ctxT(t)
	a := open(t, n, "customs")
	v1 := record(t)
	v2 := next(t, v1, "2")
	v3 := next(t, v2, "3")
	for i, r := range []*schema.Record{v1, v2, v3} {
		if _, err := a.Write(ctx, r, []adapters.Policy{full, redacted, digest}[i]); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := a.Contract().EvaluateWithContext(ctx, "History", client.WithArguments(v1.ID))
	if err != nil {
		t.Fatal(err)
	}
	var hist []struct{ Digest, Supersedes, Disclosure, TxID string }
	if err := json.Unmarshal(raw, &hist); err != nil {
		t.Fatal(err)
	}
	if len(hist) != 3 || hist[0].Digest != string(v1.Digest) || hist[1].Digest != string(v2.Digest) || hist[2].Digest != string(v3.Digest) ||
		hist[2].Supersedes != string(v2.Digest) || hist[1].Disclosure != "redacted" {
		t.Fatalf("History = %s", raw)
	}
	// A version by digest, even when it is no longer the head.
	rc, err := a.Receipt(ctx, v1.ID, v1.Digest)
	if err != nil || rc.TxID != hist[0].TxID {
		t.Fatalf("Receipt(v1) = %+v, %v; want tx %s", rc, err, hist[0].TxID)
	}
	// Query by type and issuer pages through current versions.
	issuer := fmt.Sprintf("urn:example:issuer:%d", time.Now().UnixNano())
	var want []string
	for range 5 {
		r := record(t)
		var doc map[string]any
		_ = json.Unmarshal(r.Canonical, &doc)
		doc["issuer"].(map[string]any)["id"] = issuer
		r = validate(t, doc)
		if _, err := a.Write(ctx, r, digest); err != nil {
			t.Fatal(err)
		}
		want = append(want, r.ID)
	}
	var got []string
	bookmark := ""
	for page := 0; page < 5; page++ {
		raw, err := a.Contract().EvaluateWithContext(ctx, "Query", client.WithArguments(schema.TypeSensorReading, issuer, "2", bookmark))
		if err != nil {
			t.Fatal(err)
		}
		var qp struct {
			Records  []struct{ ID, Issuer string }
			Bookmark string
		}
		if err := json.Unmarshal(raw, &qp); err != nil {
			t.Fatal(err)
		}
		for _, r := range qp.Records {
			if r.Issuer != issuer {
				t.Fatalf("Query returned issuer %s", r.Issuer)
			}
			got = append(got, r.ID)
		}
		if len(qp.Records) < 2 {
			break
		}
		bookmark = qp.Bookmark
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("Query(%s, %s) = %v, want %v", schema.TypeSensorReading, issuer, got, want)
	}
}

// A peer that cannot be reached: Write says ErrUnavailable (nothing was
// sent), Read says it could not look.
func TestUnreachablePeer(t *testing.T) {
	n := fabrictest.Need(t)
	o, _ := n.Org("customs")
	cfg := o.Config()
	cfg.Endpoint = "127.0.0.1:1" // nothing listens there
	a, err := fabric.Dial(context.Background(), cfg, fabric.WithChannel(n.Channel), fabric.WithChaincode(n.Chaincode),
		fabric.WithTimeouts(2*time.Second, 2*time.Second, 2*time.Second, 2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx := ctxT(t)
	if _, err := a.Write(ctx, record(t), full); !errors.Is(err, adapters.ErrUnavailable) {
		t.Fatalf("Write to an unreachable peer = %v, want ErrUnavailable", err)
	}
	if _, err := a.Read(ctx, "urn:uuid:00000000-0000-4000-8000-000000000000"); err == nil || errors.Is(err, adapters.ErrNotFound) {
		t.Fatalf("Read from an unreachable peer = %v, want an error other than ErrNotFound", err)
	}
}

// A watch resumed by a new adapter (a restart) from a stored checkpoint
// continues exactly after it, and the events carry full receipts.
func TestWatchRestart(t *testing.T) {
	n := fabrictest.Need(t)
	ctx := ctxT(t)
	a := open(t, n, "customs")
	var recs []*schema.Record
	var rcs []adapters.Receipt
	for range 3 {
		r := record(t)
		rc, err := a.Write(ctx, r, digest)
		if err != nil {
			t.Fatal(err)
		}
		recs, rcs = append(recs, r), append(rcs, rc)
	}
	// Find the checkpoint of the first record with one adapter...
	var cp adapters.Checkpoint
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	for ev, err := range a.Watch(wctx, checkpointBefore(rcs[0])) {
		if err != nil {
			t.Fatal(err)
		}
		if ev.RecordID == recs[0].ID {
			if ev.Receipt.TxID != rcs[0].TxID || ev.Receipt.Index != rcs[0].Index || ev.Receipt.BlockHash != rcs[0].BlockHash {
				t.Fatalf("event receipt %+v, write receipt %+v", ev.Receipt, rcs[0])
			}
			cp = ev.Checkpoint
			break
		}
	}
	cancel()
	a.Close()
	// ...and resume with another.
	b := open(t, n, "partner")
	wctx, cancel = context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var got []string
	for ev, err := range b.Watch(wctx, cp) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ev.RecordID)
		if ev.RecordID == recs[2].ID {
			break
		}
	}
	if len(got) < 2 || got[0] != recs[1].ID || got[len(got)-1] != recs[2].ID || slices.Contains(got, recs[0].ID) {
		t.Fatalf("resumed watch delivered %v; want %s first, %s last, never %s", got, recs[1].ID, recs[2].ID, recs[0].ID)
	}
	if _, err := parse(b, "fabric1:12:nothex"); err == nil {
		t.Fatal("a malformed checkpoint was accepted")
	}
}

// checkpointBefore starts a watch at the receipt's block.
func checkpointBefore(rc adapters.Receipt) adapters.Checkpoint {
	return adapters.Checkpoint(fmt.Sprintf("fabric1:%d:", rc.Block))
}

// parse runs a watch from cp and returns its first error.
func parse(a *fabric.Adapter, cp adapters.Checkpoint) (adapters.Event, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for ev, err := range a.Watch(ctx, cp) {
		return ev, err
	}
	return adapters.Event{}, nil
}
