package schema

// RFC 8785 pieces used by the parser's canonical mode (parse.go): string
// escaping and key order. Number formatting (the intricate part: the
// ECMAScript Number-to-String algorithm) is delegated to gowebpki/jcs; a
// differential fuzz test checks the whole canonical form against
// jcs.Transform.

import "unicode/utf8"

const hexDigits = "0123456789abcdef"

// appendCanonicalString escapes as ECMAScript JSON.stringify does: only
// '"', '\\' and control characters, with the short forms where they exist.
func appendCanonicalString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// compareUTF16 orders strings by their UTF-16 code units, as RFC 8785
// requires. UTF-8 byte order equals code point order, which differs from
// UTF-16 order only between supplementary characters (surrogates
// D800-DFFF) and U+E000-U+FFFF.
func compareUTF16(a, b string) int {
	// Fast path: the orders agree unless the first differing byte starts
	// a character at or above U+E000 (lead byte 0xEE or more).
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	if i == len(a) || i == len(b) {
		return len(a) - len(b)
	}
	if a[i] < 0xEE && b[i] < 0xEE {
		return int(a[i]) - int(b[i])
	}
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			return utf16Key(ra) - utf16Key(rb)
		}
		a, b = a[na:], b[nb:]
	}
	return len(a) - len(b)
}

// utf16Key maps a rune to a value ordered like its first UTF-16 code unit,
// with ties between supplementary runes broken by code point.
func utf16Key(r rune) int {
	if r < 0x10000 {
		return int(r) << 11
	}
	hi := 0xD800 + (int(r-0x10000) >> 10)
	return hi<<11 | (int(r-0x10000) & 0x3ff)
}
