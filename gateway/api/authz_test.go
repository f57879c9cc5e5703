package api_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/ledgergate/ledgergate/schema"
)

// TestAuthorizationMatrix tries every role on every operation and checks
// each forbidden combination is refused (and each allowed one works).
func TestAuthorizationMatrix(t *testing.T) {
	f := newFixture(t)
	// A record of partner A's, to read.
	own := sensor(t)
	if r := f.do(t, partnerA, "POST", "/v1/records", own, nil); r.code != 202 {
		t.Fatal(r.code)
	}
	rec, _ := schema.Default().Validate(own)
	path := "/v1/records/" + rec.ID

	type op struct {
		name   string
		method string
		path   string
		body   func() []byte
	}
	ops := []op{
		{"submit own issuer (A)", "POST", "/v1/records", func() []byte { return sensor(t) }},
		{"submit as B's issuer", "POST", "/v1/records", func() []byte {
			return record(t, schema.TypeCertificateOfOrigin, func(d map[string]any) {
				d["issuer"] = map[string]any{"id": "did:web:northsteel.example", "role": "exporter"}
			})
		}},
		{"read A's record", "GET", path, nil},
		{"list", "GET", "/v1/records", nil},
		{"ledgers", "GET", "/v1/ledgers", nil},
		{"read A's audit trail", "GET", path + "/audit", nil},
	}
	// expected[who][op]: status code; "full" marks reads that include the content.
	expected := map[string][]int{
		"":       {401, 401, 401, 401, 401, 401},
		partnerA: {202, 403, 200, 200, 200, 200},
		partnerB: {403, 202, 200, 200, 200, 403},
		officer:  {403, 403, 200, 200, 200, 200},
		admin:    {202, 202, 200, 200, 200, 200},
	}
	fullRead := map[string]bool{partnerA: true, partnerB: false, officer: true, admin: true}
	for who, codes := range expected {
		for i, o := range ops {
			name := who
			if name == "" {
				name = "anonymous"
			}
			t.Run(name+"/"+o.name, func(t *testing.T) {
				var body []byte
				if o.body != nil {
					body = o.body()
				}
				r := f.do(t, who, o.method, o.path, body, nil)
				if r.code != codes[i] {
					t.Fatalf("%s %s as %s = %d, want %d: %s", o.method, o.path, name, r.code, codes[i], r.body)
				}
				if o.path == path && r.code == 200 {
					var v struct {
						Public bool            `json:"publicView"`
						Record json.RawMessage `json:"record"`
					}
					_ = json.Unmarshal(r.body, &v)
					if fullRead[who] == v.Public || fullRead[who] != (v.Record != nil) {
						t.Fatalf("%s reading A's record: publicView=%v, content present=%v", name, v.Public, v.Record != nil)
					}
				}
			})
		}
	}
	// Wrong credentials.
	req, _ := http.NewRequest("GET", f.srv.URL+"/v1/records", nil)
	req.Header.Set("Authorization", "Bearer lgk_notakey")
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 401 {
		t.Fatalf("unknown key: %v %v", res.StatusCode, err)
	}
	req.Header.Set("Authorization", "Basic dXNlcjpwYXNz")
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 401 {
		t.Fatalf("basic auth: %v %v", res.StatusCode, err)
	}
}
