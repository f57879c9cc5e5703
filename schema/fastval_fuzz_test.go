package schema

import (
	"reflect"
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
