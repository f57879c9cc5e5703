package schema

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
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
type parser struct {
	data     []byte
	src      string // data as one string: unescaped strings are substrings of it, so they cost no allocation
	pos      int
	maxDepth int
	path     []pathElem // where the value being parsed sits, for errors
}

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
	if !utf8.Valid(data) {
		off := invalidUTF8Offset(data)
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
		return p.string()
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
	return nil
}

func (p *parser) object(depth int) (any, error) {
	if depth > p.maxDepth {
		return nil, p.errAt(p.pos, "input.depth", "nesting deeper than %d levels", p.maxDepth)
	}
	p.pos++ // '{'
	obj := make(map[string]any, 8)
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return obj, nil
	}
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
		if _, dup := obj[key]; dup {
			p.path = append(p.path, pathElem{key: key, index: -1})
			return nil, p.errAt(keyPos, "input.duplicate-key", "duplicate object key %q", key)
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.errAt(p.pos, "input.syntax", "expected ':' after object key")
		}
		p.pos++
		p.skipSpace()
		p.path = append(p.path, pathElem{key: key, index: -1})
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		p.path = p.path[:len(p.path)-1]
		obj[key] = v
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.errAt(p.pos, "input.syntax", "unexpected end of input in object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return obj, nil
		default:
			return nil, p.errAt(p.pos, "input.syntax", "expected ',' or '}' in object")
		}
	}
}

func (p *parser) array(depth int) (any, error) {
	if depth > p.maxDepth {
		return nil, p.errAt(p.pos, "input.depth", "nesting deeper than %d levels", p.maxDepth)
	}
	p.pos++ // '['
	arr := make([]any, 0, 4)
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return arr, nil
	}
	for i := 0; ; i++ {
		p.skipSpace()
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
			return arr, nil
		default:
			return nil, p.errAt(p.pos, "input.syntax", "expected ',' or ']' in array")
		}
	}
}

func (p *parser) string() (string, error) {
	start := p.pos
	p.pos++ // opening quote
	// Fast path: no escapes.
	for i := p.pos; i < len(p.data); i++ {
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
	return json.Number(lit), nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
