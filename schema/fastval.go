package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ledgergate/ledgergate/schema/internal/bytedfa"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// fastSchema is a JSON Schema compiled into a tree of Go checks, for the
// subset of keywords the built-in schemas use. It exists for speed: the
// general validator (santhosh-tekuri/jsonschema) allocates per keyword and
// cannot meet the ingest target. It reproduces that validator's verdicts,
// pointers and rule ids exactly (tests compare the two on the examples, on
// every rule case and on random mutations); a schema using any other
// keyword is not compiled and the general validator is used instead.
type fastSchema struct {
	obj      map[string]any // the schema object, for rule ids
	boolean  *bool
	types    []string
	constVal any
	hasConst bool
	enum     []any
	enumStr  map[string]bool // enum, when every value is a string
	format   *jsonschema.Format

	minProps, maxProps int
	required           []string
	props              map[string]*fastSchema
	patternProps       []patternProp
	noAdditional       bool

	minItems, maxItems int
	uniqueItems        bool
	items              *fastSchema

	minLen, maxLen int
	pattern        *bytedfa.Matcher

	minimum, maximum *big.Rat
	minF, maxF       float64
	floatOK          bool // the bounds are exact float64s

	allOf             []*fastSchema
	ifS, thenS, else_ *fastSchema

	reg *Registry
}

type patternProp struct {
	re *bytedfa.Matcher
	s  *fastSchema
}

// keywords the fast validator understands; anything else makes it decline.
var fastKeywords = map[string]bool{
	"type": true, "const": true, "enum": true, "format": true,
	"minProperties": true, "maxProperties": true, "required": true, "properties": true,
	"patternProperties": true, "additionalProperties": true,
	"minItems": true, "maxItems": true, "uniqueItems": true, "items": true,
	"minLength": true, "maxLength": true, "pattern": true,
	"minimum": true, "maximum": true,
	"allOf": true, "if": true, "then": true, "else": true,
	// annotations
	"$schema": true, "$id": true, "$comment": true, "title": true, "description": true,
	"examples": true, "default": true, "deprecated": true, "readOnly": true, "writeOnly": true,
	"x-rule": true, "x-schemaVersion": true,
}

func (r *Registry) compileFast(v any) (*fastSchema, error) {
	if b, ok := v.(bool); ok {
		return &fastSchema{boolean: &b, minProps: -1, maxProps: -1, minItems: -1, maxItems: -1, minLen: -1, maxLen: -1}, nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema is %T", v)
	}
	s := &fastSchema{obj: obj, reg: r, minProps: -1, maxProps: -1, minItems: -1, maxItems: -1, minLen: -1, maxLen: -1}
	for k, kv := range obj {
		if !fastKeywords[k] {
			return nil, fmt.Errorf("keyword %s", k)
		}
		var err error
		switch k {
		case "type":
			switch t := kv.(type) {
			case string:
				s.types = []string{t}
			case []any:
				for _, x := range t {
					s.types = append(s.types, x.(string))
				}
			}
		case "const":
			s.constVal, s.hasConst = kv, true
		case "enum":
			s.enum, _ = kv.([]any)
			s.enumStr = map[string]bool{}
			for _, e := range s.enum {
				str, ok := e.(string)
				if !ok {
					s.enumStr = nil
					break
				}
				s.enumStr[str] = true
			}
		case "format":
			name, _ := kv.(string)
			if s.format = r.formatNamed(name); s.format == nil {
				return nil, fmt.Errorf("format %s", name)
			}
		case "minProperties":
			s.minProps, err = intOf(kv)
		case "maxProperties":
			s.maxProps, err = intOf(kv)
		case "required":
			for _, x := range kv.([]any) {
				s.required = append(s.required, x.(string))
			}
		case "properties":
			s.props = map[string]*fastSchema{}
			for name, ps := range kv.(map[string]any) {
				if s.props[name], err = r.compileFast(ps); err != nil {
					return nil, err
				}
			}
		case "patternProperties":
			for re, ps := range kv.(map[string]any) {
				c, err := bytedfa.Compile(re)
				if err != nil {
					return nil, err
				}
				sub, err := r.compileFast(ps)
				if err != nil {
					return nil, err
				}
				s.patternProps = append(s.patternProps, patternProp{c, sub})
			}
		case "additionalProperties":
			b, ok := kv.(bool)
			if !ok || b {
				return nil, fmt.Errorf("additionalProperties other than false")
			}
			s.noAdditional = true
		case "minItems":
			s.minItems, err = intOf(kv)
		case "maxItems":
			s.maxItems, err = intOf(kv)
		case "uniqueItems":
			s.uniqueItems, _ = kv.(bool)
		case "items":
			s.items, err = r.compileFast(kv)
		case "minLength":
			s.minLen, err = intOf(kv)
		case "maxLength":
			s.maxLen, err = intOf(kv)
		case "pattern":
			s.pattern, err = bytedfa.Compile(kv.(string))
		case "minimum":
			s.minimum, err = ratOf(kv)
		case "maximum":
			s.maximum, err = ratOf(kv)
		case "allOf":
			for _, x := range kv.([]any) {
				sub, err := r.compileFast(x)
				if err != nil {
					return nil, err
				}
				s.allOf = append(s.allOf, sub)
			}
		case "if":
			s.ifS, err = r.compileFast(kv)
		case "then":
			s.thenS, err = r.compileFast(kv)
		case "else":
			s.else_, err = r.compileFast(kv)
		}
		if err != nil {
			return nil, err
		}
	}
	s.floatOK = true
	var exact bool
	if s.minimum != nil {
		s.minF, exact = s.minimum.Float64()
		s.floatOK = exact
	}
	if s.maximum != nil {
		s.maxF, exact = s.maximum.Float64()
		s.floatOK = s.floatOK && exact
	}
	return s, nil
}

func intOf(v any) (int, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("not a number: %v", v)
	}
	i, err := strconv.Atoi(string(n))
	return i, err
}

func ratOf(v any) (*big.Rat, error) {
	n, ok := v.(json.Number)
	if !ok {
		return nil, fmt.Errorf("not a number: %v", v)
	}
	r, ok := new(big.Rat).SetString(string(n))
	if !ok {
		return nil, fmt.Errorf("bad number %s", n)
	}
	return r, nil
}

// formatNamed returns the format checker the general validator would use.
func (r *Registry) formatNamed(name string) *jsonschema.Format {
	for _, f := range customFormats {
		if f.Name == name {
			return f
		}
	}
	switch name {
	case "date-time":
		general := standardFormat(name)
		return &jsonschema.Format{Name: name, Validate: func(v any) error {
			// Whatever Go's strict RFC 3339 parser accepts (with a '.'
			// fraction), the general validator accepts too; anything else
			// (leap seconds, errors) gets the general validator's verdict.
			if str, ok := v.(string); ok && !strings.Contains(str, ",") {
				if _, err := time.Parse(time.RFC3339Nano, str); err == nil {
					return nil
				}
			}
			return general(v)
		}}
	case "date":
		// The general validator's own check.
		return &jsonschema.Format{Name: name, Validate: func(v any) error {
			str, ok := v.(string)
			if !ok {
				return nil
			}
			_, err := time.Parse("2006-01-02", str)
			return err
		}}
	case "email":
		general := standardFormat(name)
		return &jsonschema.Format{Name: name, Validate: func(v any) error {
			if str, ok := v.(string); ok && plainEmail(str) {
				return nil
			}
			return general(v)
		}}
	}
	return nil
}

// fastState accumulates violations for one validation.
type fastState struct {
	out  []Violation
	path []string
}

func (st *fastState) ptr(extra ...string) string {
	if len(extra) == 0 {
		return Pointer(st.path...)
	}
	return Pointer(append(slices.Clip(st.path), extra...)...)
}

// validate checks v against s, appending violations to st. It reports
// whether v is valid (used by "if").
func (s *fastSchema) validate(st *fastState, v any, collect bool) bool {
	if s.boolean != nil {
		if !*s.boolean && collect {
			st.out = append(st.out, Violation{Pointer: st.ptr(), Rule: "schema.unknown-field",
				Message: fmt.Sprintf("unknown field %q is not allowed here", lastOf(st.path))})
		}
		return *s.boolean
	}
	if len(s.types) > 0 && !typeMatches(s.types, v) {
		if collect {
			k := &kind.Type{Got: jsonTypeName(v), Want: s.types}
			st.out = append(st.out, Violation{Pointer: st.ptr(), Rule: "schema.type", Message: k.LocalizedString(printer) + s.expectation()})
		}
		return false
	}
	if s.hasConst && !jsonEqual(v, s.constVal) {
		return s.fail(st, collect, "const", &kind.Const{Got: v, Want: s.constVal})
	}
	if s.enum != nil && !s.inEnum(v) {
		return s.fail(st, collect, "enum", &kind.Enum{Got: v, Want: s.enum})
	}
	if s.format != nil {
		if err := s.format.Validate(v); err != nil {
			return s.fail(st, collect, "format", &kind.Format{Got: v, Want: s.format.Name, Err: err})
		}
	}
	ok := true
	switch x := v.(type) {
	case map[string]any:
		ok = s.validateObject(st, x, collect)
	case []any:
		ok = s.validateArray(st, x, collect)
	case string:
		ok = s.validateString(st, x, collect)
	case json.Number:
		ok = s.validateNumber(st, x, collect)
	}
	if !ok && !collect {
		return false
	}
	for _, sub := range s.allOf {
		if !sub.validate(st, v, collect) {
			ok = false
			if !collect {
				return false
			}
		}
	}
	if s.ifS != nil {
		if s.ifS.validate(st, v, false) {
			if s.thenS != nil && !s.thenS.validate(st, v, collect) {
				ok = false
			}
		} else if s.else_ != nil && !s.else_.validate(st, v, collect) {
			ok = false
		}
	}
	return ok
}

func (s *fastSchema) inEnum(v any) bool {
	if s.enumStr != nil {
		str, ok := v.(string)
		return ok && s.enumStr[str]
	}
	return slices.ContainsFunc(s.enum, func(e any) bool { return jsonEqual(v, e) })
}

func lastOf(p []string) string {
	if len(p) == 0 {
		return ""
	}
	return p[len(p)-1]
}

// fail records a violation of keyword kw (when collecting) and returns
// false.
func (s *fastSchema) fail(st *fastState, collect bool, kw string, k jsonschema.ErrorKind, extra ...string) bool {
	if !collect {
		return false
	}
	id, desc := s.rule(kw)
	msg := k.LocalizedString(printer)
	if en, ok := k.(*kind.Enum); ok && len(en.Want) > 12 {
		msg = fmt.Sprintf("%s is not an allowed value", jsonString(en.Got))
	}
	if _, isFormat := k.(*kind.Format); !isFormat && desc != "" {
		msg += "; expected " + lowerFirst(strings.TrimSuffix(desc, "."))
	}
	st.out = append(st.out, Violation{Pointer: st.ptr(extra...), Rule: id, Message: msg})
	return false
}

// rule returns the rule id and description for keyword kw of this schema,
// as Registry.ruleAt does for the general validator.
func (s *fastSchema) rule(kw string) (id, desc string) {
	id = "schema." + kebab(kw)
	switch x := s.obj["x-rule"].(type) {
	case string:
		id = x
	case map[string]any:
		if r, ok := x[kw].(string); ok {
			id = r
		}
	}
	desc, _ = s.obj["description"].(string)
	return id, desc
}

func (s *fastSchema) expectation() string {
	if d, _ := s.obj["description"].(string); d != "" {
		return "; expected " + lowerFirst(strings.TrimSuffix(d, "."))
	}
	return ""
}

func (s *fastSchema) validateObject(st *fastState, obj map[string]any, collect bool) bool {
	ok := true
	if s.minProps >= 0 && len(obj) < s.minProps {
		ok = s.fail(st, collect, "minProperties", &kind.MinProperties{Got: len(obj), Want: s.minProps})
	}
	if s.maxProps >= 0 && len(obj) > s.maxProps {
		ok = s.fail(st, collect, "maxProperties", &kind.MaxProperties{Got: len(obj), Want: s.maxProps})
	}
	for _, name := range s.required {
		if _, present := obj[name]; !present {
			ok = false
			if !collect {
				return false
			}
			st.out = append(st.out, Violation{Pointer: st.ptr(name), Rule: "schema.required", Message: fmt.Sprintf("required field %q is missing", name)})
		}
	}
	for name, val := range obj {
		evaluated := false
		if ps, found := s.props[name]; found {
			evaluated = true
			st.path = append(st.path, name)
			if !ps.validate(st, val, collect) {
				ok = false
			}
			st.path = st.path[:len(st.path)-1]
		}
		for _, pp := range s.patternProps {
			if pp.re.MatchString(name) {
				evaluated = true
				st.path = append(st.path, name)
				if !pp.s.validate(st, val, collect) {
					ok = false
				}
				st.path = st.path[:len(st.path)-1]
			}
		}
		if !evaluated && s.noAdditional {
			ok = false
			if !collect {
				return false
			}
			if id, desc := s.rule("additionalProperties"); id != "schema.additional-properties" {
				st.out = append(st.out, Violation{Pointer: st.ptr(name), Rule: id, Message: fmt.Sprintf("field name %q is not allowed; %s", name, lowerFirst(desc))})
			} else {
				st.out = append(st.out, Violation{Pointer: st.ptr(name), Rule: "schema.unknown-field", Message: fmt.Sprintf("unknown field %q is not allowed here (put deployment data under /extensions)", name)})
			}
		}
		if !ok && !collect {
			return false
		}
	}
	return ok
}

func (s *fastSchema) validateArray(st *fastState, arr []any, collect bool) bool {
	ok := true
	if s.minItems >= 0 && len(arr) < s.minItems {
		ok = s.fail(st, collect, "minItems", &kind.MinItems{Got: len(arr), Want: s.minItems})
	}
	if s.maxItems >= 0 && len(arr) > s.maxItems {
		ok = s.fail(st, collect, "maxItems", &kind.MaxItems{Got: len(arr), Want: s.maxItems})
	}
	if s.uniqueItems {
	dup:
		for i := range arr {
			for j := i + 1; j < len(arr); j++ {
				if jsonEqual(arr[i], arr[j]) {
					ok = s.fail(st, collect, "uniqueItems", &kind.UniqueItems{Duplicates: [2]int{i, j}})
					break dup
				}
			}
		}
	}
	if s.items != nil {
		for i, item := range arr {
			st.path = append(st.path, strconv.Itoa(i))
			if !s.items.validate(st, item, collect) {
				ok = false
			}
			st.path = st.path[:len(st.path)-1]
			if !ok && !collect {
				return false
			}
		}
	}
	return ok
}

func (s *fastSchema) validateString(st *fastState, str string, collect bool) bool {
	ok := true
	if s.minLen >= 0 || s.maxLen >= 0 {
		n := utf8.RuneCountInString(str)
		if s.minLen >= 0 && n < s.minLen {
			ok = s.fail(st, collect, "minLength", &kind.MinLength{Got: n, Want: s.minLen})
		}
		if s.maxLen >= 0 && n > s.maxLen {
			ok = s.fail(st, collect, "maxLength", &kind.MaxLength{Got: n, Want: s.maxLen})
		}
	}
	if s.pattern != nil && !s.pattern.MatchString(str) {
		ok = s.fail(st, collect, "pattern", &kind.Pattern{Got: str, Want: s.pattern.String()})
	}
	return ok
}

func (s *fastSchema) validateNumber(st *fastState, n json.Number, collect bool) bool {
	if s.minimum == nil && s.maximum == nil {
		return true
	}
	// Fast path: strictly inside the bounds as a float64 means inside
	// exactly (bounds are representable; rounding cannot cross them).
	f, err := strconv.ParseFloat(string(n), 64)
	if err == nil && s.floatOK {
		if (s.minimum == nil || f > s.minF) && (s.maximum == nil || f < s.maxF) {
			return true
		}
		// An integer literal the parser accepted (|n| < 2^53) is an
		// exact float64 too: compare exactly, bounds included.
		if !strings.ContainsAny(string(n), ".eE") {
			ok := true
			if s.minimum != nil && f < s.minF {
				ok = s.fail(st, collect, "minimum", &kind.Minimum{Got: new(big.Rat).SetFloat64(f), Want: s.minimum})
			}
			if s.maximum != nil && f > s.maxF {
				ok = s.fail(st, collect, "maximum", &kind.Maximum{Got: new(big.Rat).SetFloat64(f), Want: s.maximum})
			}
			return ok
		}
	}
	r, good := new(big.Rat).SetString(string(n))
	if !good {
		return true
	}
	ok := true
	if s.minimum != nil && r.Cmp(s.minimum) < 0 {
		ok = s.fail(st, collect, "minimum", &kind.Minimum{Got: r, Want: s.minimum})
	}
	if s.maximum != nil && r.Cmp(s.maximum) > 0 {
		ok = s.fail(st, collect, "maximum", &kind.Maximum{Got: r, Want: s.maximum})
	}
	return ok
}

func typeMatches(types []string, v any) bool {
	got := jsonTypeName(v)
	for _, t := range types {
		if t == got || (t == "number" && got == "integer") {
			return true
		}
		if t == "integer" && got == "number" {
			if n, ok := v.(json.Number); ok {
				if r, ok := new(big.Rat).SetString(string(n)); ok && r.IsInt() {
					return true
				}
			}
		}
	}
	return false
}

// jsonTypeName names v's JSON type as the general validator does.
func jsonTypeName(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case json.Number:
		if !strings.ContainsAny(string(x), ".eE") {
			return "integer"
		}
		return "number"
	}
	return "invalid"
}

// jsonEqual compares JSON values, numbers by value.
func jsonEqual(a, b any) bool {
	if na, ok := a.(json.Number); ok {
		nb, ok := b.(json.Number)
		if !ok {
			return false
		}
		ra, ok1 := new(big.Rat).SetString(string(na))
		rb, ok2 := new(big.Rat).SetString(string(nb))
		return ok1 && ok2 && ra.Cmp(rb) == 0
	}
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !jsonEqual(xv, yv) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// plainEmail accepts the common shape of address (dot-atom local part,
// host name domain), a subset of what the general validator's email
// format accepts; everything else gets the general validator's verdict.
func plainEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	at := strings.IndexByte(s, '@')
	if at < 1 || at > 64 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		if !isAlnum(c) && !strings.ContainsRune(".!#$%&'*+-/=?^_`{|}~", rune(c)) {
			return false
		}
	}
	if domain == "" || len(domain) > 253 {
		return false
	}
	for label := range strings.SplitSeq(domain, ".") {
		if len(label) < 1 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			if !isAlnum(label[i]) && label[i] != '-' {
				return false
			}
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// standardFormat returns the general validator's own check for a standard
// format, so both validators agree on exactly what is accepted.
func standardFormat(name string) func(any) error {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	url := "urn:ledgergate:format:" + name
	if err := c.AddResource(url, map[string]any{"format": name}); err != nil {
		panic(err)
	}
	sch := c.MustCompile(url)
	return func(v any) error {
		err := sch.Validate(v)
		if err == nil {
			return nil
		}
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			for e := ve; e != nil; {
				if f, ok := e.ErrorKind.(*kind.Format); ok {
					return f.Err
				}
				if len(e.Causes) == 0 {
					break
				}
				e = e.Causes[0]
			}
		}
		return err
	}
}
