package schema

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed schemas/v1/*.json
var schemaFS embed.FS

// BaseURL is the $id prefix of the built-in v1 schemas.
const BaseURL = "https://schemas.ledgergate.org/v1/"

// supportFiles are the v1 schema files that define no record type.
var supportFiles = []string{"codes.json", "common.json", "envelope.json"}

// TypeInfo describes a registered record type.
type TypeInfo struct {
	Name        string `json:"name"`        // e.g. "CertificateOfOrigin"
	Version     string `json:"version"`     // schema version, "1.0"
	SchemaURL   string `json:"schemaUrl"`   // the type schema's $id
	File        string `json:"file"`        // file name used by Export
	Builtin     bool   `json:"builtin"`     // shipped in the binary
	Description string `json:"description"` // from the schema's description
}

// Registry holds the record types a deployment accepts and validates records
// against them. The zero value is not usable; call NewRegistry. A Registry is
// safe for concurrent use.
type Registry struct {
	maxSize  int
	maxDepth int
	noInline bool // compile the published documents as they are (tests)
	noFast   bool // always use the general validator (tests)

	mu       sync.RWMutex
	compiler *jsonschema.Compiler
	envelope *jsonschema.Schema
	types    map[string]*recordType
	docs     map[string]any    // schema URL -> parsed document, for rule ids
	files    map[string][]byte // file name -> schema bytes, for Export
	rules    sync.Map          // schema location -> ruleInfo
}

type recordType struct {
	info   TypeInfo
	schema *jsonschema.Schema
	minor  int
	rules  []rule
	// fast, when set, replaces schema: the same checks compiled to Go.
	fast *fastSchema
	// declared holds the top-level fields the type allows: the
	// envelope's and those in its schema's "properties".
	declared map[string]bool
}

// Option configures a Registry.
type Option func(*Registry)

// WithMaxSize sets the largest accepted input in bytes (default 1 MiB).
// Larger input is refused before parsing.
func WithMaxSize(n int) Option { return func(r *Registry) { r.maxSize = n } }

// WithMaxDepth sets the deepest accepted nesting of objects and arrays
// (default 32).
func WithMaxDepth(n int) Option { return func(r *Registry) { r.maxDepth = n } }

// NewRegistry returns a registry holding the built-in v1 record types.
func NewRegistry(opts ...Option) (*Registry, error) {
	r := &Registry{
		maxSize:  DefaultMaxSize,
		maxDepth: DefaultMaxDepth,
		types:    make(map[string]*recordType),
		docs:     make(map[string]any),
		files:    make(map[string][]byte),
	}
	for _, o := range opts {
		o(r)
	}
	if r.maxSize <= 0 || r.maxDepth <= 0 {
		return nil, fmt.Errorf("schema: size and depth limits must be positive")
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	for _, f := range customFormats {
		c.RegisterFormat(f)
	}
	// Never fetch schemas from the network or the file system by URL.
	c.UseLoader(denyLoader{})
	r.compiler = c

	entries, err := fs.ReadDir(schemaFS, "schemas/v1")
	if err != nil {
		return nil, err
	}
	var typeFiles []string
	for _, e := range entries {
		name := e.Name()
		b, _ := schemaFS.ReadFile("schemas/v1/" + name)
		if err := r.addResource(BaseURL+name, name, b); err != nil {
			return nil, err
		}
		if !slices.Contains(supportFiles, name) {
			typeFiles = append(typeFiles, name)
		}
	}
	if r.envelope, err = c.Compile(BaseURL + "envelope.json"); err != nil {
		return nil, fmt.Errorf("schema: compile envelope: %w", err)
	}
	for _, name := range typeFiles {
		if _, err := r.compileType(BaseURL+name, name, true); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Default returns a shared registry of the built-in types with default
// limits.
var Default = sync.OnceValue(func() *Registry {
	r, err := NewRegistry()
	if err != nil {
		panic("schema: built-in schemas do not compile: " + err.Error())
	}
	return r
})

type denyLoader struct{}

func (denyLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("schema %s is not registered (remote and file references are not loaded)", url)
}

func (r *Registry) addResource(url, file string, b []byte) error {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("schema %s: %w", file, err)
	}
	if err := r.compiler.AddResource(url, doc); err != nil {
		return fmt.Errorf("schema %s: %w", file, err)
	}
	r.docs[url] = doc
	r.files[file] = b
	return nil
}

// compileType compiles the schema at url as a record type. Custom types are
// wrapped so they get the envelope and reject unknown fields.
func (r *Registry) compileType(url, file string, builtin bool) (TypeInfo, error) {
	doc, _ := r.docs[url].(map[string]any)
	name, err := typeNameOf(doc)
	if err != nil {
		return TypeInfo{}, fmt.Errorf("schema %s: %w", file, err)
	}
	if _, dup := r.types[name]; dup {
		return TypeInfo{}, fmt.Errorf("schema %s: record type %s is already registered", file, name)
	}
	version := "1.0"
	if v, ok := doc["x-schemaVersion"].(string); ok {
		version = v
	}
	minor, err := minorOf(version)
	if err != nil {
		return TypeInfo{}, fmt.Errorf("schema %s: x-schemaVersion: %w", file, err)
	}
	target := url
	if !builtin {
		wrapURL := "urn:ledgergate:type:" + name
		wrapper := map[string]any{
			"$schema":               "https://json-schema.org/draft/2020-12/schema",
			"$id":                   wrapURL,
			"allOf":                 []any{map[string]any{"$ref": BaseURL + "envelope.json"}, map[string]any{"$ref": url}},
			"unevaluatedProperties": false,
		}
		if err := r.compiler.AddResource(wrapURL, wrapper); err != nil {
			return TypeInfo{}, fmt.Errorf("schema %s: %w", file, err)
		}
		r.docs[wrapURL] = wrapper
		target = wrapURL
	}
	// Compile the original first: it reports errors against the file the
	// author wrote. Then prefer the faster, equivalent inlined copy.
	sch, err := r.compiler.Compile(target)
	if err != nil {
		return TypeInfo{}, fmt.Errorf("schema %s: %w", file, err)
	}
	var fast *fastSchema
	if flat, ok := r.inlineRefs(target); ok && !r.noInline {
		flatURL := "urn:ledgergate:compiled:" + name
		if err := r.compiler.AddResource(flatURL, flat); err == nil {
			if fs, err := r.compiler.Compile(flatURL); err == nil {
				r.docs[flatURL] = flat
				sch = fs
			}
		}
		if !r.noFast {
			fast, _ = r.compileFast(flat) // nil: keywords beyond the fast subset
		}
	}
	desc, _ := doc["description"].(string)
	info := TypeInfo{Name: name, Version: version, SchemaURL: url, File: file, Builtin: builtin, Description: desc}
	declared := maps.Clone(envelopeProps)
	if props, ok := doc["properties"].(map[string]any); ok {
		for p := range props {
			declared[p] = true
		}
	}
	r.types[name] = &recordType{info: info, schema: sch, fast: fast, minor: minor, rules: builtinRules[name], declared: declared}
	return info, nil
}

// typeNameOf reads the record type name from properties.type.const.
func typeNameOf(doc map[string]any) (string, error) {
	props, _ := doc["properties"].(map[string]any)
	t, _ := props["type"].(map[string]any)
	name, _ := t["const"].(string)
	if name == "" {
		return "", fmt.Errorf(`a record type schema must fix its name with "properties": {"type": {"const": "Name"}}`)
	}
	if !validTypeName(name) {
		return "", fmt.Errorf("record type name %q must match ^[A-Z][A-Za-z0-9]{1,63}$", name)
	}
	return name, nil
}

func validTypeName(s string) bool {
	if len(s) < 2 || len(s) > 64 || !isUpper(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isUpper(c) && !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func minorOf(version string) (int, error) {
	rest, ok := strings.CutPrefix(version, "1.")
	if !ok {
		return 0, fmt.Errorf("version %q: only major version 1 is supported", version)
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 || (len(rest) > 1 && rest[0] == '0') {
		return 0, fmt.Errorf("version %q is not major.minor", version)
	}
	return n, nil
}

// Register adds a deployment-specific record type from a JSON Schema
// (2020-12). The schema names its type with "properties": {"type":
// {"const": "Name"}}; it may $ref the built-in definitions, e.g.
// "https://schemas.ledgergate.org/v1/common.json#/$defs/gln". Records of the
// type get the envelope, unknown-field rejection, envelope rules and
// digests like the built-in types. An optional "x-schemaVersion": "1.N"
// sets its version (default "1.0").
func (r *Registry) Register(schemaJSON []byte) (TypeInfo, error) {
	if _, err := parseStrict(schemaJSON, 64); err != nil {
		return TypeInfo{}, fmt.Errorf("custom schema: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return TypeInfo{}, fmt.Errorf("custom schema: %w", err)
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return TypeInfo{}, fmt.Errorf("custom schema: not a JSON object")
	}
	name, err := typeNameOf(obj)
	if err != nil {
		return TypeInfo{}, fmt.Errorf("custom schema: %w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.types[name]; dup {
		return TypeInfo{}, fmt.Errorf("custom schema: record type %s is already registered", name)
	}
	url, _ := obj["$id"].(string)
	if url == "" {
		url = "urn:ledgergate:schema:" + name
	}
	if strings.HasPrefix(url, BaseURL) {
		return TypeInfo{}, fmt.Errorf("custom schema: $id %s is inside the built-in namespace %s", url, BaseURL)
	}
	file := kebab(name) + ".json"
	if err := r.addResource(url, file, schemaJSON); err != nil {
		return TypeInfo{}, err
	}
	info, err := r.compileType(url, file, false)
	if err != nil {
		delete(r.files, file)
		return TypeInfo{}, err
	}
	return info, nil
}

// RegisterFile registers the record type defined by the JSON Schema file at
// path; see Register.
func (r *Registry) RegisterFile(path string) (TypeInfo, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return TypeInfo{}, err
	}
	info, err := r.Register(b)
	if err != nil {
		return TypeInfo{}, fmt.Errorf("%s: %w", path, err)
	}
	return info, nil
}

// Types lists the registered record types by name.
func (r *Registry) Types() []TypeInfo {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]TypeInfo, 0, len(r.types))
	for _, t := range r.types {
		out = append(out, t.info)
	}
	slices.SortFunc(out, func(a, b TypeInfo) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Lookup returns the registered type called name.
func (r *Registry) Lookup(name string) (TypeInfo, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	t, ok := r.types[name]
	if !ok {
		return TypeInfo{}, false
	}
	return t.info, true
}

// Export writes every schema file (support files and all registered types)
// into dir, creating it if needed, and returns the file names written.
func (r *Registry) Export(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.files))
	for name := range r.files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if err := os.WriteFile(path.Join(dir, name), r.files[name], 0o644); err != nil {
			return nil, err
		}
	}
	return names, nil
}

// SchemaFile returns the bytes of an exported schema file by name.
func (r *Registry) SchemaFile(name string) ([]byte, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	b, ok := r.files[name]
	return b, ok
}

// MaxSize is the registry's input size limit in bytes.
func (r *Registry) MaxSize() int { return r.maxSize }

func kebab(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if isUpper(c) {
			if i > 0 && (!isUpper(name[i-1]) || (i+1 < len(name) && !isUpper(name[i+1]))) {
				b.WriteByte('-')
			}
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// jsonString marshals v compactly for messages.
func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return truncate(string(b), 80)
}
