package schema

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gowebpki/jcs"
)

// Limits applied while parsing, before any schema rule runs.
const (
	// DefaultMaxSize is the default input size limit (1 MiB).
	DefaultMaxSize = 1 << 20
	// DefaultMaxDepth is the default nesting limit for objects and arrays.
	DefaultMaxDepth = 32
	// maxSafeInteger is 2^53: I-JSON (RFC 7493) integers lie strictly
	// within ±2^53, where IEEE doubles (which RFC 8785 uses) are exact.
	maxSafeInteger = 1 << 53
)

// parser is a strict JSON (RFC 8259 + I-JSON, RFC 7493) parser. Unlike
// encoding/json it rejects duplicate object keys, invalid UTF-8 and numbers
// that an IEEE double cannot hold exactly, and bounds nesting depth. It
// produces the generic tree the JSON Schema validator consumes: objects as
// map[string]any, arrays as []any, numbers as json.Number.
//
// It can also write the RFC 8785 canonical form of the value while it
// parses (canonical mode), so validation does not walk the tree a second
// time to serialise it: each value's canonical bytes are appended as it is
// read, and an object's members are put in RFC 8785 key order when the
// object closes.
type parser struct {
	data     []byte
	src      string // data as one string: unescaped strings are substrings of it, so they cost no allocation
	pos      int
	maxDepth int
	path     []pathElem // where the value being parsed sits, for errors

	canonical bool     // write the canonical form into canon
	canon     []byte   // canonical form written so far
	members   []member // members of the objects being parsed, innermost last
	scratch   []byte   // for reordering an object's canonical members
	order     []int32  // for sorting an object's members
}

// member is one object member being parsed; in canonical mode
// canon[start:end] holds its canonical `"key":value`.
type member struct {
	key        string
	val        any
	start, end int
}

// dupScanLimit: objects with more members than this detect duplicate keys
// with a map rather than by scanning the members read so far.
const dupScanLimit = 32

// pathElem is one step of the parser's position: an object key or an array
// index. Pointers are only built when an error is reported.
type pathElem struct {
	key   string
	index int // -1 for an object key
}

func (p *parser) pointer() string {
	toks := make([]string, len(p.path))
	for i, e := range p.path {
		if e.index >= 0 {
			toks[i] = strconv.Itoa(e.index)
		} else {
			toks[i] = e.key
		}
	}
	return Pointer(toks...)
}

// parseStrict parses data as exactly one JSON value.
func parseStrict(data []byte, maxDepth int) (any, error) {
	p := &parser{data: data, src: string(data), maxDepth: maxDepth}
	return p.parse()
}

// parseCanonical parses data as exactly one JSON value and also returns
// its RFC 8785 canonical form.
func parseCanonical(data []byte, maxDepth int) (any, []byte, error) {
	p := parsers.Get().(*parser)
	defer p.release()
	p.data, p.src, p.maxDepth = data, string(data), maxDepth
	p.canonical, p.canon = true, make([]byte, 0, len(data))
	v, err := p.parse()
	if err != nil {
		return nil, nil, err
	}
	return v, p.canon, nil
}

// parsers recycles the parsers' scratch space (members, path, scratch).
var parsers = sync.Pool{New: func() any { return new(parser) }}

// release returns p to the pool without holding on to the input, the
// output or any parsed value.
func (p *parser) release() {
	clear(p.members[:cap(p.members)])
	clear(p.path[:cap(p.path)]) // keys are substrings of the input
	*p = parser{members: p.members[:0], path: p.path[:0], scratch: p.scratch[:0], order: p.order[:0]}
	parsers.Put(p)
}

func (p *parser) parse() (any, error) {
	if !utf8.Valid(p.data) {
		off := invalidUTF8Offset(p.data)
		return nil, p.errAt(off, "input.utf8", "invalid UTF-8 byte sequence")
	}
	p.skipSpace()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(p.data) {
		return nil, p.errAt(p.pos, "input.syntax", "unexpected data after the top-level value")
	}
	return v, nil
}

func invalidUTF8Offset(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// errAt reports a malformed-input violation with the JSON pointer of the
// value being parsed and the line and column of the offending byte.
func (p *parser) errAt(off int, rule, format string, args ...any) error {
	line, col := 1, 1
	for i := 0; i < off && i < len(p.data); i++ {
		if p.data[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	msg := fmt.Sprintf(format, args...)
	return single(ErrMalformed, p.pointer(), rule, "%s (line %d, column %d, byte offset %d)", msg, line, col, off)
}

func (p *parser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (any, error) {
	if p.pos >= len(p.data) {
		return nil, p.errAt(p.pos, "input.syntax", "unexpected end of input")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		return p.stringValue()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	default:
		return nil, p.errAt(p.pos, "input.syntax", "unexpected character %q", rune(c))
	}
}

func (p *parser) literal(lit string) error {
	if len(p.data)-p.pos < len(lit) || string(p.data[p.pos:p.pos+len(lit)]) != lit {
		return p.errAt(p.pos, "input.syntax", "invalid literal, expected %s", lit)
	}
	p.pos += len(lit)
	if p.canonical {
		p.canon = append(p.canon, lit...)
	}
	return nil
}

// stringValue parses a string value and, in canonical mode, writes it.
func (p *parser) stringValue() (any, error) {
	start := p.pos
	s, err := p.string()
	if err != nil {
		return nil, err
	}
	if p.canonical {
		p.appendString(start, p.pos, s)
	}
	return s, nil
}

// appendString writes the canonical form of the string s read from
// data[start:end]. Without escapes in the input the canonical form is
// the input itself: RFC 8785 escapes only '"', '\\' and control
// characters, which an unescaped JSON string cannot contain.
func (p *parser) appendString(start, end int, s string) {
	if end-start == len(s)+2 {
		p.canon = append(p.canon, p.data[start:end]...)
		return
	}
	p.canon = appendCanonicalString(p.canon, s)
}

func (p *parser) object(depth int) (any, error) {
	if depth > p.maxDepth {
		return nil, p.errAt(p.pos, "input.depth", "nesting deeper than %d levels", p.maxDepth)
	}
	p.pos++ // '{'
	if p.canonical {
		p.canon = append(p.canon, '{')
	}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		if p.canonical {
			p.canon = append(p.canon, '}')
		}
		return map[string]any{}, nil
	}
	base := len(p.members)
	defer func() { p.members = p.members[:base] }()
	var seen map[string]struct{} // duplicate detection beyond dupScanLimit
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.errAt(p.pos, "input.syntax", "expected a string as object key")
		}
		keyPos := p.pos
		key, err := p.string()
		if err != nil {
			return nil, err
		}
		keyEnd := p.pos
		if p.duplicate(base, key, &seen) {
			p.path = append(p.path, pathElem{key: key, index: -1})
			return nil, p.errAt(keyPos, "input.duplicate-key", "duplicate object key %q", key)
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.errAt(p.pos, "input.syntax", "expected ':' after object key")
		}
		p.pos++
		p.skipSpace()
		m := member{key: key}
		if p.canonical {
			if len(p.members) > base {
				p.canon = append(p.canon, ',')
			}
			m.start = len(p.canon)
			p.appendString(keyPos, keyEnd, key)
			p.canon = append(p.canon, ':')
		}
		p.path = append(p.path, pathElem{key: key, index: -1})
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		p.path = p.path[:len(p.path)-1]
		m.val, m.end = v, len(p.canon)
		p.members = append(p.members, m)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.errAt(p.pos, "input.syntax", "unexpected end of input in object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			ms := p.members[base:]
			if p.canonical {
				p.orderMembers(ms)
				p.canon = append(p.canon, '}')
			}
			obj := make(map[string]any, len(ms))
			for _, m := range ms {
				obj[m.key] = m.val
			}
			return obj, nil
		default:
			return nil, p.errAt(p.pos, "input.syntax", "expected ',' or '}' in object")
		}
	}
}

// duplicate reports whether the object whose members start at base
// already has key.
func (p *parser) duplicate(base int, key string, seen *map[string]struct{}) bool {
	ms := p.members[base:]
	if len(ms) <= dupScanLimit {
		for i := range ms {
			if ms[i].key == key {
				return true
			}
		}
		return false
	}
	if *seen == nil {
		*seen = make(map[string]struct{}, 2*len(ms))
		for i := range ms {
			(*seen)[ms[i].key] = struct{}{}
		}
	}
	if _, dup := (*seen)[key]; dup {
		return true
	}
	(*seen)[key] = struct{}{}
	return false
}

// orderMembers puts the canonical members of one object, written in input
// order and separated by commas at canon[ms[0].start:], in RFC 8785 key
// order (UTF-16 code units).
func (p *parser) orderMembers(ms []member) {
	sorted, ascii := true, true
	for i := range ms {
		if ascii && !below0xEE(ms[i].key) {
			ascii = false
		}
		if i > 0 && sorted && compareUTF16(ms[i-1].key, ms[i].key) > 0 {
			sorted = false
		}
	}
	if sorted {
		return
	}
	// Sort positions, not the members: moving small integers needs no
	// write barriers, and the members' order does not matter to the map.
	order := p.order[:0]
	for i := range ms {
		order = append(order, int32(i))
	}
	after := func(a, b int32) bool { return compareUTF16(ms[a].key, ms[b].key) > 0 }
	if ascii {
		// Byte order is UTF-16 order for these keys.
		after = func(a, b int32) bool { return ms[a].key > ms[b].key }
	}
	if len(order) <= 16 {
		for i := 1; i < len(order); i++ {
			for j := i; j > 0 && after(order[j-1], order[j]); j-- {
				order[j-1], order[j] = order[j], order[j-1]
			}
		}
	} else {
		slices.SortFunc(order, func(a, b int32) int {
			if after(a, b) {
				return 1
			}
			return -1 // keys are distinct (duplicates are refused)
		})
	}
	p.order = order
	start := ms[0].start
	region := p.canon[start:]
	p.scratch = append(p.scratch[:0], region...)
	out := region[:0]
	for k, i := range order {
		if k > 0 {
			out = append(out, ',')
		}
		out = append(out, p.scratch[ms[i].start-start:ms[i].end-start]...)
	}
}

func (p *parser) array(depth int) (any, error) {
	if depth > p.maxDepth {
		return nil, p.errAt(p.pos, "input.depth", "nesting deeper than %d levels", p.maxDepth)
	}
	p.pos++ // '['
	if p.canonical {
		p.canon = append(p.canon, '[')
	}
	arr := make([]any, 0, 4)
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		if p.canonical {
			p.canon = append(p.canon, ']')
		}
		return arr, nil
	}
	for i := 0; ; i++ {
		p.skipSpace()
		if p.canonical && i > 0 {
			p.canon = append(p.canon, ',')
		}
		p.path = append(p.path, pathElem{index: i})
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		p.path = p.path[:len(p.path)-1]
		arr = append(arr, v)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.errAt(p.pos, "input.syntax", "unexpected end of input in array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			if p.canonical {
				p.canon = append(p.canon, ']')
			}
			return arr, nil
		default:
			return nil, p.errAt(p.pos, "input.syntax", "expected ',' or ']' in array")
		}
	}
}

func (p *parser) string() (string, error) {
	start := p.pos
	p.pos++ // opening quote
	// Fast path: no escapes. Skip eight plain bytes at a time.
	i := p.pos
	for i+8 <= len(p.data) && !specialInWord(binary.LittleEndian.Uint64(p.data[i:])) {
		i += 8
	}
	for ; i < len(p.data); i++ {
		c := p.data[i]
		if c == '"' {
			s := p.src[p.pos:i]
			p.pos = i + 1
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.errAt(i, "input.syntax", "control character U+%04X in string must be escaped", c)
		}
	}
	buf := make([]byte, 0, 32)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(buf), nil
		case c < 0x20:
			return "", p.errAt(p.pos, "input.syntax", "control character U+%04X in string must be escaped", c)
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		// escape
		if p.pos+1 >= len(p.data) {
			break
		}
		e := p.data[p.pos+1]
		p.pos += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.errAt(p.pos, "input.syntax", "invalid \\u escape")
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
					p.pos += 2
					r2, ok = p.hex4()
					if !ok {
						return "", p.errAt(p.pos, "input.syntax", "invalid \\u escape")
					}
				}
				r = utf16.DecodeRune(r, r2)
				if r == utf8.RuneError {
					return "", p.errAt(p.pos, "input.utf8", "unpaired UTF-16 surrogate in \\u escape")
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", p.errAt(p.pos-1, "input.syntax", "invalid escape \\%c", e)
		}
	}
	return "", p.errAt(start, "input.syntax", "unterminated string")
}

// below0xEE reports whether s has no byte at or above 0xEE, the lead
// bytes of U+E000 and above, where UTF-8 and UTF-16 orders part.
func below0xEE(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xEE {
			return false
		}
	}
	return true
}

// specialInWord reports whether any of the eight bytes of w is '"', '\\'
// or a control character (below 0x20): the bytes that end the plain run
// of a JSON string. (Bit tricks from "Bit Twiddling Hacks": a byte is
// zero, or below n, when subtracting from it borrows into its top bit.)
func specialInWord(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote := w ^ (ones * '"')
	backslash := w ^ (ones * '\\')
	hasZero := func(v uint64) uint64 { return (v - ones) &^ v & highs }
	below0x20 := (w - ones*0x20) &^ w & highs
	return hasZero(quote)|hasZero(backslash)|below0x20 != 0
}

func (p *parser) hex4() (rune, bool) {
	if p.pos+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.pos : p.pos+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}

func (p *parser) number() (any, error) {
	start := p.pos
	d := p.data
	i := p.pos
	if d[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
			n++
		}
		return n
	}
	intStart := i
	if n := digits(); n == 0 {
		return nil, p.errAt(i, "input.syntax", "invalid number")
	} else if n > 1 && d[intStart] == '0' {
		return nil, p.errAt(intStart, "input.syntax", "invalid number: leading zero")
	}
	isInt := true
	if i < len(d) && d[i] == '.' {
		i++
		isInt = false
		if digits() == 0 {
			return nil, p.errAt(i, "input.syntax", "invalid number: digits expected after '.'")
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		isInt = false
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if digits() == 0 {
			return nil, p.errAt(i, "input.syntax", "invalid number: digits expected in exponent")
		}
	}
	p.pos = i
	lit := p.src[start:i]
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil || math.IsInf(f, 0) {
		return nil, p.errAt(start, "input.number-range", "number %s is outside the range of an IEEE 754 double (write large amounts as decimal strings)", truncate(lit, 40))
	}
	if isInt && math.Abs(f) >= maxSafeInteger {
		return nil, p.errAt(start, "input.number-range", "integer %s is beyond ±(2^53-1) and cannot be represented exactly (write it as a decimal string)", truncate(lit, 40))
	}
	if p.canonical {
		if isInt && lit != "-0" {
			// A safe integer without leading zeros is already in the
			// ECMAScript Number-to-String form.
			p.canon = append(p.canon, lit...)
		} else {
			out, err := jcs.NumberToJSON(f)
			if err != nil {
				return nil, p.errAt(start, "input.number-range", "cannot canonicalise number %s: %v", truncate(lit, 40), err)
			}
			p.canon = append(p.canon, out...)
		}
	}
	return json.Number(lit), nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
