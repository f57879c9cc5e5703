package reconcile

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/ledgergate/ledgergate/gateway/store"
)

// Diff compares two JSON documents field by field and returns every
// difference as a JSON pointer with the expected and the found value
// (absent on the side that lacks the field). With onlyFound, top-level
// members the found copy does not have are not compared: a redacted copy
// is compared only on the fields it holds.
//
// Documents that are not JSON objects are compared as a whole ("").
func Diff(expected, found []byte, onlyFound bool) []store.FieldDiff {
	var e, f any
	if decode(expected, &e) != nil || decode(found, &f) != nil {
		if bytes.Equal(expected, found) {
			return nil
		}
		return []store.FieldDiff{{Pointer: "", Expected: raw(expected), Found: raw(found)}}
	}
	var out []store.FieldDiff
	if onlyFound {
		em, eok := e.(map[string]any)
		fm, fok := f.(map[string]any)
		if eok && fok {
			for _, k := range sortedKeys(fm) {
				ev, has := em[k]
				if !has {
					out = append(out, store.FieldDiff{Pointer: "/" + escape(k), Found: marshal(fm[k])})
					continue
				}
				out = diffValue(out, "/"+escape(k), ev, fm[k])
			}
			return out
		}
	}
	return diffValue(out, "", e, f)
}

func raw(b []byte) json.RawMessage {
	if len(b) == 0 {
		return nil
	}
	if json.Valid(b) {
		return json.RawMessage(b)
	}
	s, _ := json.Marshal(string(b))
	return s
}

func decode(b []byte, v *any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}

func marshal(v any) json.RawMessage {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return json.RawMessage(bytes.TrimRight(buf.Bytes(), "\n"))
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// escape escapes one JSON pointer reference token (RFC 6901).
func escape(t string) string {
	if !strings.ContainsAny(t, "~/") {
		return t
	}
	return strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
}

func diffValue(out []store.FieldDiff, ptr string, e, f any) []store.FieldDiff {
	switch ev := e.(type) {
	case map[string]any:
		fv, ok := f.(map[string]any)
		if !ok {
			break
		}
		keys := sortedKeys(ev)
		for k := range fv {
			if _, in := ev[k]; !in {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			a, inE := ev[k]
			b, inF := fv[k]
			p := ptr + "/" + escape(k)
			switch {
			case !inF:
				out = append(out, store.FieldDiff{Pointer: p, Expected: marshal(a)})
			case !inE:
				out = append(out, store.FieldDiff{Pointer: p, Found: marshal(b)})
			default:
				out = diffValue(out, p, a, b)
			}
		}
		return out
	case []any:
		fv, ok := f.([]any)
		if !ok {
			break
		}
		for i := 0; i < max(len(ev), len(fv)); i++ {
			p := ptr + "/" + strconv.Itoa(i)
			switch {
			case i >= len(fv):
				out = append(out, store.FieldDiff{Pointer: p, Expected: marshal(ev[i])})
			case i >= len(ev):
				out = append(out, store.FieldDiff{Pointer: p, Found: marshal(fv[i])})
			default:
				out = diffValue(out, p, ev[i], fv[i])
			}
		}
		return out
	default:
		if scalarEqual(e, f) {
			return out
		}
	}
	return append(out, store.FieldDiff{Pointer: ptr, Expected: marshal(e), Found: marshal(f)})
}

func scalarEqual(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		if x == y {
			return true
		}
		fx, err1 := x.Float64()
		fy, err2 := y.Float64()
		return err1 == nil && err2 == nil && fx == fy
	case map[string]any, []any:
		return false
	default:
		return a == b
	}
}

// member is one top-level member of a canonical JSON object: the raw key
// token (with quotes) and the raw value.
type member struct{ key, val []byte }

// members splits a canonical (RFC 8785: no insignificant whitespace)
// JSON object into its top-level members without decoding it. ok is false
// for anything else; callers then fall back to Diff.
func members(b []byte, buf []member) ([]member, bool) {
	out := buf[:0]
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return nil, false
	}
	i := 1
	if b[i] == '}' {
		return out, i == len(b)-1
	}
	for {
		if b[i] != '"' {
			return nil, false
		}
		ks := i
		i = skipString(b, i)
		if i < 0 || i >= len(b) || b[i] != ':' {
			return nil, false
		}
		key := b[ks:i]
		i++
		vs := i
		i = skipValue(b, i)
		if i < 0 || i >= len(b) {
			return nil, false
		}
		out = append(out, member{key: key, val: b[vs:i]})
		switch b[i] {
		case ',':
			i++
		case '}':
			return out, i == len(b)-1
		default:
			return nil, false
		}
	}
}

// skipString returns the index just after the string starting at b[i]
// (-1 if it does not end): the first quote after b[i] that an even number
// of backslashes precedes.
func skipString(b []byte, i int) int {
	j := i + 1
	for {
		q := bytes.IndexByte(b[j:], '"')
		if q < 0 {
			return -1
		}
		q += j
		n := 0
		for k := q - 1; k > i && b[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return q + 1
		}
		j = q + 1
	}
}

// skipValue returns the index just after the value starting at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = skipString(b, j) - 1
				if j < 0 {
					return -1
				}
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	default:
		for j := i; j < len(b); j++ {
			if c := b[j]; c == ',' || c == '}' || c == ']' {
				return j
			}
		}
		return -1
	}
}

// sameFields reports whether every top-level member of the canonical
// document found is in the canonical document expected with the same
// bytes (RFC 8785 serialises a member's value the same inside any parent,
// so equal bytes mean equal values). It is the fast path for redacted
// copies; false means "compute a Diff".
//
// Both documents list their members in the same (RFC 8785) key order, so
// one pass over expected suffices: a member found also holds is compared
// as bytes where it starts (equal bytes followed by the end of the member
// are the same value, and the same extent a full parse would find); the
// others are skipped. expected is checked as far as members would check it.
func sameFields(expected, found []byte) bool {
	var fb [32]member
	fm, ok := members(found, fb[:0])
	if !ok {
		return false
	}
	e := expected
	if len(e) < 2 || e[0] != '{' || e[len(e)-1] != '}' {
		return false
	}
	i := 1
	if e[i] == '}' {
		return i == len(e)-1 && len(fm) == 0
	}
	k := 0 // the next member of found to look for
	for {
		if e[i] != '"' {
			return false
		}
		ks := i
		i = skipString(e, i)
		if i < 0 || i >= len(e) || e[i] != ':' {
			return false
		}
		key := e[ks:i]
		i++
		if k < len(fm) && bytes.Equal(key, fm[k].key) {
			if !bytes.HasPrefix(e[i:], fm[k].val) {
				return false
			}
			i += len(fm[k].val)
			k++
		} else {
			i = skipValue(e, i)
		}
		if i < 0 || i >= len(e) {
			return false
		}
		switch e[i] {
		case ',':
			i++
		case '}':
			return i == len(e)-1 && k == len(fm)
		default:
			return false
		}
	}
}
