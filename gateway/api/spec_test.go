package api_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ledgergate/ledgergate"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// spec is docs/openapi.yaml, with its component schemas compiled.
type spec struct {
	mu       sync.Mutex // check may be called from several goroutines; the compiler is not safe for that
	doc      map[string]any
	compiler *jsonschema.Compiler
	cache    map[string]*jsonschema.Schema
}

func loadSpec(t *testing.T) *spec {
	t.Helper()
	var y any
	if err := yaml.Unmarshal(ledgergate.OpenAPI, &y); err != nil {
		t.Fatalf("docs/openapi.yaml: %v", err)
	}
	b, err := json.Marshal(y)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource("urn:ledgergate:openapi", doc); err != nil {
		t.Fatal(err)
	}
	return &spec{doc: doc.(map[string]any), compiler: c, cache: map[string]*jsonschema.Schema{}}
}

func (s *spec) paths() map[string]any { return s.doc["paths"].(map[string]any) }

// match finds the spec path template for a concrete path: segments match
// literally, and a {param} segment matches any non-empty segment.
func (s *spec) match(path string) (string, bool) {
	got := strings.Split(path, "/")
	for tmpl := range s.paths() {
		want := strings.Split(tmpl, "/")
		if len(want) != len(got) {
			continue
		}
		ok := true
		for i := range want {
			if strings.HasPrefix(want[i], "{") {
				ok = ok && got[i] != ""
			} else {
				ok = ok && want[i] == got[i]
			}
		}
		if ok {
			return tmpl, true
		}
	}
	return "", false
}

// check validates a response against the spec: the path and status must
// be documented, and a JSON body must match its schema.
func (s *spec) check(t *testing.T, method, rawPath string, r resp) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	u, _ := url.Parse(rawPath)
	tmpl, ok := s.match(u.Path)
	if !ok {
		if r.code == 404 {
			return // unknown paths answer 404 problems
		}
		t.Fatalf("%s %s: path not in docs/openapi.yaml", method, u.Path)
	}
	op, ok := s.paths()[tmpl].(map[string]any)[strings.ToLower(method)].(map[string]any)
	if !ok {
		t.Fatalf("%s %s: method not in docs/openapi.yaml", method, tmpl)
	}
	responses := op["responses"].(map[string]any)
	respSpec, ok := responses[strconv.Itoa(r.code)].(map[string]any)
	if !ok {
		t.Fatalf("%s %s answered %d, which docs/openapi.yaml does not list (%v): %s", method, tmpl, r.code, sortedKeys(responses), r.body)
	}
	if ref, ok := respSpec["$ref"].(string); ok {
		respSpec = s.resolve(ref)
	}
	content, _ := respSpec["content"].(map[string]any)
	ct := strings.Split(r.ct, ";")[0]
	media, ok := content[ct].(map[string]any)
	if !ok {
		t.Fatalf("%s %s %d: content type %q not documented (%v)", method, tmpl, r.code, ct, sortedKeys(content))
	}
	if !strings.Contains(ct, "json") {
		return
	}
	sch := s.schemaFor(t, media["schema"])
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(r.body)))
	if err != nil {
		t.Fatalf("%s %s %d: body is not JSON: %v", method, tmpl, r.code, err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("%s %s %d: response does not match docs/openapi.yaml:\n%v\nbody: %s", method, tmpl, r.code, err, r.body)
	}
}

func (s *spec) resolve(ref string) map[string]any {
	var cur any = s.doc
	for _, tok := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		cur = cur.(map[string]any)[tok]
	}
	return cur.(map[string]any)
}

func (s *spec) schemaFor(t *testing.T, node any) *jsonschema.Schema {
	t.Helper()
	m, _ := node.(map[string]any)
	ref, ok := m["$ref"].(string)
	if !ok {
		t.Fatalf("inline response schemas are not supported by the spec test: %v", node)
	}
	if sch, ok := s.cache[ref]; ok {
		return sch
	}
	sch, err := s.compiler.Compile("urn:ledgergate:openapi" + ref)
	if err != nil {
		t.Fatalf("compile %s: %v", ref, err)
	}
	s.cache[ref] = sch
	return sch
}

func sortedKeys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestEveryRouteIsSpecified checks the server's routes and the spec's
// paths are the same set.
func TestEveryRouteIsSpecified(t *testing.T) {
	f := newFixture(t)
	inServer := map[string]bool{}
	for _, r := range f.api.Routes() {
		inServer[r] = true
		method, path, _ := strings.Cut(r, " ")
		op, ok := f.spec.paths()[path].(map[string]any)
		if !ok || op[strings.ToLower(method)] == nil {
			t.Errorf("route %s is not in docs/openapi.yaml", r)
		}
	}
	for path, item := range f.spec.paths() {
		for method := range item.(map[string]any) {
			if r := strings.ToUpper(method) + " " + path; !inServer[r] {
				t.Errorf("docs/openapi.yaml documents %s, which the server does not serve", r)
			}
		}
	}
}
