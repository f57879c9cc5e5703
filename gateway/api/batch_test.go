package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ledgergate/ledgergate/gateway/api"
	"github.com/ledgergate/ledgergate/schema"
)

func batchOf(items ...[]byte) []byte {
	return []byte("[" + string(joinJSON(items)) + "]")
}

func joinJSON(items [][]byte) []byte {
	var b []byte
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, it...)
	}
	return b
}

func (f *fixture) batch(t *testing.T, who string, body []byte, ct string) (resp, api.BatchView) {
	t.Helper()
	r := f.do(t, who, "POST", "/v1/records:batch", body, map[string]string{"Content-Type": ct})
	var view api.BatchView
	if r.code == http.StatusOK {
		r.json(t, &view)
	}
	return r, view
}

// TestBatch: every item gets the outcome it would have had alone, in
// order; repeats, versions and failures inside one batch; nothing refused
// is stored and everything accepted is.
func TestBatch(t *testing.T) {
	f := newFixture(t)
	good1, good2 := sensor(t), sensor(t)
	stored := sensor(t)
	if r := f.do(t, partnerA, "POST", "/v1/records", stored, nil); r.code != 202 {
		t.Fatalf("setup POST = %d %s", r.code, r.body)
	}
	// A new version of good1, later in the same batch, supersedes it.
	rec1, _ := schema.Default().Validate(good1)
	var doc map[string]any
	_ = json.Unmarshal(good1, &doc)
	doc["value"] = "-18.5"
	doc["supersedes"] = string(rec1.Digest)
	good1v2, _ := json.Marshal(doc)
	invalid := record(t, schema.TypeSensorReading, func(d map[string]any) { d["issuedAt"] = "yesterday" })
	otherIssuer := record(t, schema.TypeSensorReading, func(d map[string]any) { d["issuer"].(map[string]any)["id"] = "did:web:someone-else.example" })

	r, view := f.batch(t, partnerA, batchOf(good1, invalid, stored, good1v2, otherIssuer, good2, []byte(`{"a":1,"a":2}`)), "application/json")
	if r.code != 200 {
		t.Fatalf("batch = %d %s", r.code, r.body)
	}
	wantCodes := []int{202, 422, 200, 202, 403, 202, 400}
	if len(view.Results) != len(wantCodes) {
		t.Fatalf("%d results, want %d: %s", len(view.Results), len(wantCodes), r.body)
	}
	for i, res := range view.Results {
		if res.Index != i || res.Code != wantCodes[i] {
			t.Errorf("item %d: index %d code %d, want code %d (%s)", i, res.Index, res.Code, wantCodes[i], r.body)
		}
		if (res.Problem != nil) != (res.Code >= 400) {
			t.Errorf("item %d: code %d with problem %v", i, res.Code, res.Problem)
		}
		if res.Problem != nil && !strings.HasSuffix(res.Problem.Instance, fmt.Sprintf("#/%d", i)) {
			t.Errorf("item %d: problem instance %q does not point at the item", i, res.Problem.Instance)
		}
	}
	if view.Accepted != 3 || view.Existing != 1 || view.Rejected != 3 {
		t.Fatalf("counts = %d accepted, %d existing, %d rejected", view.Accepted, view.Existing, view.Rejected)
	}
	if vs := view.Results[1].Problem.Violations; len(vs) == 0 || vs[0].Pointer != "/issuedAt" {
		t.Fatalf("invalid item's violations = %+v", vs)
	}
	// The store holds what was accepted: good1 at version 2 with history,
	// good2; not the refused ones.
	g := f.do(t, officer, "GET", view.Results[0].StatusURL, nil, nil)
	var rv api.RecordView
	g.json(t, &rv)
	if len(rv.History) != 2 || rv.Digest != view.Results[3].Digest {
		t.Fatalf("good1 after the batch: %s", g.body)
	}
	for _, refused := range [][]byte{invalid, otherIssuer} {
		var d map[string]any
		_ = json.Unmarshal(refused, &d)
		if g := f.do(t, officer, "GET", "/v1/records/"+d["id"].(string), nil, nil); g.code != 404 {
			t.Fatalf("refused item %s was stored: %d", d["id"], g.code)
		}
	}
	// The same batch again changes nothing new.
	_, again := f.batch(t, partnerA, batchOf(good2, stored), "application/json")
	if again.Existing != 2 || again.Accepted != 0 {
		t.Fatalf("repeat batch = %+v", again)
	}
}

func TestBatchCloudEvents(t *testing.T) {
	f := newFixture(t)
	ev := func(id string, data []byte) []byte {
		return []byte(fmt.Sprintf(`{"specversion":"1.0","id":%q,"source":"urn:partner:sensor-co","type":"org.ledgergate.record.submit","datacontenttype":"application/json","data":%s}`, id, data))
	}
	noData := []byte(`{"specversion":"1.0","id":"e3","source":"urn:partner:sensor-co","type":"org.ledgergate.record.submit"}`)
	r, view := f.batch(t, partnerA, batchOf(ev("e1", sensor(t)), ev("e2", sensor(t)), noData), "application/cloudevents-batch+json")
	if r.code != 200 || view.Accepted != 2 || view.Rejected != 1 || view.Results[2].Code != 400 || view.Results[2].Problem.Type != api.ProblemBase+"invalid-cloudevent" {
		t.Fatalf("CloudEvents batch = %d %s", r.code, r.body)
	}
}

func TestBatchRefusals(t *testing.T) {
	f := newFixture(t)
	tooMany := make([][]byte, api.MaxBatchItems+1)
	for i := range tooMany {
		tooMany[i] = []byte(`{}`)
	}
	for _, c := range []struct {
		name, who, ct string
		body          []byte
		code          int
		slug          string
	}{
		{"officer", officer, "application/json", batchOf(sensor(t)), 403, "forbidden"},
		{"anonymous", "", "application/json", batchOf(sensor(t)), 401, "unauthenticated"},
		{"not an array", partnerA, "application/json", sensor(t), 400, "malformed"},
		{"broken JSON", partnerA, "application/json", []byte(`[{"id":`), 400, "malformed"},
		{"data after the array", partnerA, "application/json", append(batchOf(sensor(t)), " {}"...), 400, "malformed"},
		{"empty", partnerA, "application/json", []byte(`[]`), 400, "empty-batch"},
		{"too many", partnerA, "application/json", batchOf(tooMany...), 413, "too-large"},
		{"media type", partnerA, "text/csv", []byte("a,b"), 415, "unsupported-media-type"},
	} {
		r, _ := f.batch(t, c.who, c.body, c.ct)
		var p api.Problem
		r.json(t, &p)
		if r.code != c.code || p.Type != api.ProblemBase+c.slug {
			t.Errorf("%s: %d %s, want %d %s", c.name, r.code, p.Type, c.code, c.slug)
		}
	}
}
