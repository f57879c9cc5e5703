package schema

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestFastPathIsEquivalent validates many mutated records with the
// registry's fast path (inlined schemas compiled to Go checks) and with the
// general validator on the published schemas, and requires identical
// verdicts, pointers and rule ids.
func TestFastPathIsEquivalent(t *testing.T) {
	fast, err := NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	for name, rt := range fast.types {
		if rt.info.Builtin && rt.fast == nil {
			t.Errorf("built-in type %s is not on the fast path", name)
		}
	}
	plain, err := NewRegistry(func(r *Registry) { r.noInline, r.noFast = true, true })
	if err != nil {
		t.Fatal(err)
	}
	if custom := `{"properties":{"type":{"const":"PortCall"},"gln":{"$ref":"https://schemas.ledgergate.org/v1/common.json#/$defs/gln"}},"required":["gln"]}`; true {
		if _, err := fast.Register([]byte(custom)); err != nil {
			t.Fatal(err)
		}
		if _, err := plain.Register([]byte(custom)); err != nil {
			t.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(7, 11))
	junk := []any{nil, true, 42, "x", "", "urn:uuid:bad", []any{}, map[string]any{}, "0614141000006", "2026-13-01T00:00:00Z", "ZZ", "-1.5"}
	inputs := [][]byte{[]byte(`{"id":"urn:uuid:5e1a0a4c-9f3b-4d2e-8c1a-7b6d5e4f3a22","type":"PortCall","schemaVersion":"1.0","issuer":{"id":"did:web:p.example","role":"carrier"},"issuedAt":"2026-01-01T00:00:00Z","validFrom":"2026-01-01T00:00:00Z","gln":"0614141000006"}`)}
	for _, ex := range Examples() {
		inputs = append(inputs, ex.Data)
		for range 300 {
			var doc map[string]any
			if err := json.Unmarshal(ex.Data, &doc); err != nil {
				t.Fatal(err)
			}
			for range 1 + rng.IntN(3) {
				mutate(rng, doc, junk)
			}
			b, _ := json.Marshal(doc)
			inputs = append(inputs, b)
		}
	}
	for _, in := range inputs {
		r1, e1 := fast.Validate(in)
		r2, e2 := plain.Validate(in)
		if (e1 == nil) != (e2 == nil) {
			t.Fatalf("verdicts differ on %s:\ninlined: %v\nplain:   %v", in, e1, e2)
		}
		if e1 != nil {
			// Messages may differ: an inlined field keeps the description
			// at the reference site, which is more specific.
			if !reflect.DeepEqual(ruleKeys(e1), ruleKeys(e2)) {
				t.Fatalf("violations differ on %s:\ninlined: %v\nplain:   %v", in, e1, e2)
			}
		} else if r1.Digest != r2.Digest {
			t.Fatalf("digests differ")
		}
	}
}

// mutate replaces, deletes or adds a random field somewhere in doc.
func mutate(rng *rand.Rand, doc map[string]any, junk []any) {
	var v any = doc
	for depth := 0; depth < 4; depth++ {
		switch x := v.(type) {
		case map[string]any:
			if len(x) == 0 || rng.IntN(3) == 0 {
				goto edit
			}
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			k := keys[rng.IntN(len(keys))]
			if _, ok := x[k].(map[string]any); ok {
				v = x[k]
				continue
			}
			if a, ok := x[k].([]any); ok && len(a) > 0 {
				if m, ok := a[0].(map[string]any); ok {
					v = m
					continue
				}
			}
			goto edit
		}
	}
edit:
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	switch op := rng.IntN(3); {
	case op == 0 && len(keys) > 0:
		delete(m, keys[rng.IntN(len(keys))])
	case op == 1 && len(keys) > 0:
		m[keys[rng.IntN(len(keys))]] = junk[rng.IntN(len(junk))]
	default:
		m["zz"+string(rune('a'+rng.IntN(26)))] = junk[rng.IntN(len(junk))]
	}
}

func ruleKeys(err error) []string {
	var out []string
	for _, v := range err.(*ValidationError).Violations {
		out = append(out, v.Pointer+" "+v.Rule)
	}
	return out
}
