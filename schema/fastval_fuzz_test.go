package schema

import (
	"reflect"
	"strings"
	"testing"
)

// FuzzFastMatchesGeneral: on any input, the fast path and the general
// validator agree on the verdict, the pointers and the rule ids.
func FuzzFastMatchesGeneral(f *testing.F) {
	for _, ex := range Examples() {
		f.Add(ex.Data)
	}
	fast, err := NewRegistry()
	if err != nil {
		f.Fatal(err)
	}
	plain, err := NewRegistry(func(r *Registry) { r.noInline, r.noFast = true, true })
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, e1 := fast.Validate(data)
		_, e2 := plain.Validate(data)
		if (e1 == nil) != (e2 == nil) {
			t.Fatalf("verdicts differ:\nfast:    %v\ngeneral: %v", e1, e2)
		}
		if e1 != nil && !reflect.DeepEqual(ruleKeys(e1), ruleKeys(e2)) {
			t.Fatalf("violations differ:\nfast:    %v\ngeneral: %v", e1, e2)
		}
	})
}

// TestPlainEmailIsASubset: every address the fast email check accepts,
// the general validator's email format accepts too (the fast check only
// ever short-cuts to "valid"), over addresses built from the characters
// and shapes that matter.
func TestPlainEmailIsASubset(t *testing.T) {
	general := standardFormat("email")
	parts := []string{"", "a", "Z9", ".", "..", "-", "_", "+", "@", "é", "\"q\"", "[1.2.3.4]", "x-", "-x", "1", strings.Repeat("a", 63), strings.Repeat("b", 64)}
	accepted := 0
	for _, l1 := range parts {
		for _, l2 := range parts {
			for _, d1 := range parts {
				for _, d2 := range []string{"", ".", ".com", ".-x", "..mx", ".x-", "-"} {
					s := l1 + l2 + "@" + d1 + d2
					if plainEmail(s) {
						accepted++
						if err := general(s); err != nil {
							t.Fatalf("plainEmail accepts %q, the general validator refuses it: %v", s, err)
						}
					}
				}
			}
		}
	}
	for _, s := range []string{"officer@cbp.dhs.gov", "exports+mx@acme-mfg.com.mx", "a@b", strings.Repeat("c", 64) + "@x.example"} {
		if !plainEmail(s) {
			t.Errorf("plainEmail refuses the common address %q", s)
		}
	}
	if accepted < 100 {
		t.Fatalf("only %d generated addresses took the fast path; the test no longer exercises it", accepted)
	}
}
