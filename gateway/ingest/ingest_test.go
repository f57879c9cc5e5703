package ingest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/conformance"
	"github.com/ledgergate/ledgergate/gateway/ingest"
	"github.com/ledgergate/ledgergate/gateway/routing"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/internal/testenv"
	"github.com/ledgergate/ledgergate/schema"
)

// sensor is a valid SensorReading with a fresh id; edit changes it first.
func sensor(t *testing.T, edit func(map[string]any)) *schema.Record {
	t.Helper()
	doc := conformance.SensorDoc(t)
	if edit != nil {
		edit(doc)
	}
	return conformance.RecordOf(t, doc)
}

// SubmitRecords gives each record its own outcome, in the records' order:
// a record of another issuer is refused alone, a record and its new
// version in one call are both stored (in order), a stored record is
// existing; OnAccept hears of each new version once.
func TestSubmitRecords(t *testing.T) {
	ctx := context.Background()
	st := testenv.SQLiteStore(t)
	router, err := routing.New([]routing.Route{{Name: "all", Targets: []routing.Target{{Ledger: "chain", Disclosure: adapters.DisclosureDigest}}}}, []string{"chain"})
	if err != nil {
		t.Fatal(err)
	}
	in := ingest.New(schema.Default(), st, router)
	var heard []string
	in.OnAccept(func(_ ingest.Submitter, r ingest.Result) { heard = append(heard, string(r.Version.Digest)) })
	who := ingest.Submitter{Partner: "partner-a", Issuer: sensor(t, nil).Issuer.ID}

	stored := sensor(t, nil)
	if _, err := in.SubmitRecord(ctx, who, stored); err != nil {
		t.Fatal(err)
	}
	first := sensor(t, nil)
	second := sensor(t, func(d map[string]any) { d["id"], d["value"], d["supersedes"] = first.ID, "-18.5", string(first.Digest) })
	foreign := sensor(t, func(d map[string]any) { d["issuer"].(map[string]any)["id"] = "did:web:someone-else.example" })
	other := sensor(t, nil)
	heard = nil
	out := in.SubmitRecords(ctx, who, []*schema.Record{first, foreign, stored, second, other})
	if len(out) != 5 {
		t.Fatalf("%d outcomes for 5 records", len(out))
	}
	for _, i := range []int{0, 3, 4} {
		if o := out[i]; o.Err != nil || o.Result.Existing || len(o.Result.Deliveries) != 1 || o.Result.Version.Seq == 0 {
			t.Errorf("record %d: %+v, %v; want a new version with one delivery", i, o.Result, o.Err)
		}
	}
	if !errors.Is(out[1].Err, ingest.ErrForbidden) {
		t.Errorf("record of another issuer: %v, want ErrForbidden", out[1].Err)
	}
	if o := out[2]; o.Err != nil || !o.Result.Existing {
		t.Errorf("stored record: %+v, %v; want existing", o.Result, o.Err)
	}
	if len(heard) != 3 || heard[0] == heard[1] {
		t.Errorf("OnAccept heard %d new versions %v, want 3", len(heard), heard)
	}
	d, err := st.Record(ctx, first.ID)
	if err != nil || d.Current.Digest != second.Digest || len(d.History) != 2 {
		t.Errorf("record with two versions in one call: current %s, %d versions, %v", d.Current.Digest, len(d.History), err)
	}
	if _, err := st.Record(ctx, foreign.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the refused record was stored (%v)", err)
	}
}
