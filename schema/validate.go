package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Record is a validated record with its canonical form and digest.
type Record struct {
	ID            string
	Type          string
	SchemaVersion string
	Issuer        Issuer
	// Supersedes is the digest of the version this one replaces, if any.
	Supersedes Digest
	// Canonical is the RFC 8785 form of the record; Digest is its SHA-256.
	Canonical []byte
	Digest    Digest

	doc map[string]any
}

// Fields returns the record as a generic JSON tree (objects are
// map[string]any, numbers json.Number). Callers must not modify it.
func (r *Record) Fields() map[string]any { return r.doc }

// Decode unmarshals the record into v, typically one of this package's
// record structs.
func (r *Record) Decode(v any) error { return json.Unmarshal(r.Canonical, v) }

// Validate checks data against the record type it names and every rule of
// that type, and returns the record with its canonical form and digest.
//
// On failure the error is a *ValidationError listing every violation, and
// wraps ErrTooLarge (refused before parsing), ErrMalformed (not acceptable
// JSON), ErrUnknownType or ErrInvalid.
func (r *Registry) Validate(data []byte) (*Record, error) {
	if len(data) > r.maxSize {
		return nil, single(ErrTooLarge, "", "input.too-large", "input is %d bytes; the limit is %d bytes", len(data), r.maxSize)
	}
	tree, canon, err := parseCanonical(data, r.maxDepth)
	if err != nil {
		return nil, err
	}
	doc, ok := tree.(map[string]any)
	if !ok {
		return nil, single(ErrInvalid, "", "schema.type", "a record must be a JSON object, got %s", jsonKind(tree))
	}

	r.mu.RLock()
	typeName, _ := doc["type"].(string)
	rt := r.types[typeName]
	r.mu.RUnlock()

	var vs []Violation
	errKind := ErrInvalid
	if rt == nil {
		// Still report every envelope problem, plus the unknown type.
		errKind = ErrUnknownType
		vs = r.schemaViolations(r.envelope.Validate(doc), envelopeProps)
		if _, isString := doc["type"].(string); isString {
			vs = append(vs, Violation{Pointer: "/type", Rule: "envelope.type-unknown",
				Message: fmt.Sprintf("record type %q is not registered; registered types: %s", typeName, strings.Join(r.typeNames(), ", "))})
		}
	} else {
		if rt.fast != nil {
			st := &fastState{}
			rt.fast.validate(st, doc, true)
			vs = dedupe(st.out)
		} else {
			vs = r.schemaViolations(rt.schema.Validate(doc), rt.declared)
		}
		ctx := &ruleContext{doc: doc}
		envelopeRules(ctx, rt.minor, rt.info)
		for _, rule := range rt.rules {
			rule(ctx)
		}
		vs = append(vs, ctx.violations...)
	}
	if len(vs) > 0 {
		sortViolations(vs)
		return nil, &ValidationError{Kind: errKind, Violations: vs}
	}

	rec := &Record{
		ID:            doc["id"].(string),
		Type:          typeName,
		SchemaVersion: doc["schemaVersion"].(string),
		Canonical:     canon,
		Digest:        DigestOf(canon),
		doc:           doc,
	}
	iss := doc["issuer"].(map[string]any)
	rec.Issuer.ID, _ = iss["id"].(string)
	rec.Issuer.Role, _ = iss["role"].(string)
	rec.Issuer.Name, _ = iss["name"].(string)
	if s, ok := doc["supersedes"].(string); ok {
		rec.Supersedes = Digest(s)
	}
	return rec, nil
}

// Is lets errors.Is(err, ErrInvalid) match unknown-type errors too: a
// record of an unregistered type is invalid.
func (e *ValidationError) Is(target error) bool {
	return target == ErrInvalid && e.Kind == ErrUnknownType
}

func (r *Registry) typeNames() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.types))
	for n := range r.types {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func jsonKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	default:
		return "null"
	}
}

// dedupe drops repeated violations, keeping the first.
func dedupe(vs []Violation) []Violation {
	if len(vs) < 2 {
		return vs
	}
	seen := make(map[Violation]bool, len(vs))
	out := vs[:0]
	for _, v := range vs {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func sortViolations(vs []Violation) {
	slices.SortStableFunc(vs, func(a, b Violation) int {
		if c := strings.Compare(a.Pointer, b.Pointer); c != 0 {
			return c
		}
		return strings.Compare(a.Rule, b.Rule)
	})
}

var printer = message.NewPrinter(language.English)

// schemaViolations flattens a jsonschema error tree into violations with
// stable rule ids.
func (r *Registry) schemaViolations(err error, declared map[string]bool) []Violation {
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []Violation{{Rule: "schema.internal", Message: err.Error()}}
	}
	var out []Violation
	seen := map[Violation]bool{}
	add := func(v Violation) {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		ptr := Pointer(e.InstanceLocation...)
		switch k := e.ErrorKind.(type) {
		case *kind.Required:
			for _, m := range k.Missing {
				add(Violation{Pointer: ptr + "/" + escapePointerToken(m), Rule: "schema.required", Message: fmt.Sprintf("required field %q is missing", m)})
			}
		case *kind.AdditionalProperties:
			// An object with its own x-rule (the extensions object)
			// explains which names it allows.
			if info := r.ruleAt(e.SchemaURL, k); info.id != "schema.additional-properties" {
				for _, p := range k.Properties {
					add(Violation{Pointer: ptr + "/" + escapePointerToken(p), Rule: info.id, Message: fmt.Sprintf("field name %q is not allowed; %s", p, lowerFirst(info.desc))})
				}
				return
			}
			for _, p := range k.Properties {
				add(Violation{Pointer: ptr + "/" + escapePointerToken(p), Rule: "schema.unknown-field", Message: fmt.Sprintf("unknown field %q is not allowed here (put deployment data under /extensions)", p)})
			}
		case *kind.FalseSchema:
			field := ""
			if n := len(e.InstanceLocation); n > 0 {
				field = e.InstanceLocation[n-1]
			}
			// When a subschema (the envelope, a custom type's schema)
			// fails, JSON Schema drops its annotations, so
			// unevaluatedProperties at the record's root flags the fields
			// it declares as unknown. Its own failure is reported; these
			// would be noise.
			if len(e.InstanceLocation) == 1 && declared[field] {
				return
			}
			add(Violation{Pointer: ptr, Rule: "schema.unknown-field", Message: fmt.Sprintf("unknown field %q is not allowed here (put deployment data under /extensions)", field)})
		case *kind.Type:
			add(Violation{Pointer: ptr, Rule: "schema.type", Message: e.ErrorKind.LocalizedString(printer) + r.expectation(e.SchemaURL, e.ErrorKind)})
		default:
			info := r.ruleAt(e.SchemaURL, e.ErrorKind)
			msg := e.ErrorKind.LocalizedString(printer)
			if en, ok := k.(*kind.Enum); ok && len(en.Want) > 12 {
				msg = fmt.Sprintf("%s is not an allowed value", jsonString(en.Got))
			}
			if _, isFormat := k.(*kind.Format); !isFormat && info.desc != "" {
				// Format errors explain themselves; others gain the
				// field's description.
				msg += "; expected " + lowerFirst(strings.TrimSuffix(info.desc, "."))
			}
			add(Violation{Pointer: ptr, Rule: info.id, Message: msg})
		}
	}
	walk(ve)
	return out
}

// envelopeProps are the envelope's fields, which every record type allows.
var envelopeProps = map[string]bool{"id": true, "type": true, "schemaVersion": true, "issuer": true,
	"issuedAt": true, "validFrom": true, "validUntil": true, "supersedes": true, "extensions": true}

// expectation is "; expected <description>" for the schema at loc, if it
// has a description.
func (r *Registry) expectation(loc string, k jsonschema.ErrorKind) string {
	if d := r.ruleAt(loc, k).desc; d != "" {
		return "; expected " + lowerFirst(strings.TrimSuffix(d, "."))
	}
	return ""
}

func lowerFirst(s string) string {
	if s == "" || !isUpper(s[0]) || (len(s) > 1 && isUpper(s[1])) {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

type ruleInfo struct{ id, desc string }

// ruleAt finds the stable rule id for a failed keyword: the "x-rule"
// annotation of the schema object holding the keyword (a string for all its
// keywords, or an object mapping keyword to rule id), or
// "schema.<keyword>" when there is none.
func (r *Registry) ruleAt(schemaURL string, k jsonschema.ErrorKind) ruleInfo {
	kw := "validation"
	if p := k.KeywordPath(); len(p) > 0 {
		kw = p[0]
	}
	key := schemaURL + "\x00" + kw
	if v, ok := r.rules.Load(key); ok {
		return v.(ruleInfo)
	}
	info := ruleInfo{id: "schema." + kebab(kw)}
	if obj := r.resolve(schemaURL); obj != nil {
		switch x := obj["x-rule"].(type) {
		case string: // applies to every keyword of the object
			info.id = x
		case map[string]any: // per keyword
			if id, ok := x[kw].(string); ok {
				info.id = id
			}
		}
		info.desc, _ = obj["description"].(string)
	}
	r.rules.Store(key, info)
	return info
}

// resolve returns the schema object at an absolute schema location.
func (r *Registry) resolve(loc string) map[string]any {
	base, frag, _ := strings.Cut(loc, "#")
	r.mu.RLock()
	doc := r.docs[base]
	r.mu.RUnlock()
	if frag != "" {
		if f, err := url.PathUnescape(frag); err == nil {
			frag = f
		}
		for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
			tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
			switch d := doc.(type) {
			case map[string]any:
				doc = d[tok]
			case []any:
				i := 0
				if _, err := fmt.Sscan(tok, &i); err != nil || i < 0 || i >= len(d) {
					return nil
				}
				doc = d[i]
			default:
				return nil
			}
		}
	}
	obj, _ := doc.(map[string]any)
	return obj
}
