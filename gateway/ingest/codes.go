package ingest

import (
	"bytes"
	"encoding/json"
)

// indexKind tells whether a member's string values are index codes:
// HS codes, or ISO 3166 country codes.
func indexKind(name []byte) (hs, country bool) {
	switch string(name) {
	case "hsCode":
		return true, false
	case "countryCode", "countryOfOrigin", "originCountry", "destinationCountry",
		"countryOfExport", "countryOfDestination", "jurisdictions", "territories":
		return false, true
	}
	return false, false
}

// IndexCodes collects the HS codes and country codes anywhere in a record
// (the string values, or strings in array values, of the members
// indexKind names, at any depth), for the query filters.
//
// It reads the record's RFC 8785 canonical form in one pass rather than
// walking the decoded tree: by the time a batch is stored its trees are
// out of cache, while its canonical bytes are compact and read in order.
func IndexCodes(canonical []byte) (hs, countries []string) {
	c := codeScan{}
	c.value(canonical, kindNone)
	return c.hs, c.countries
}

type codeKind int

const (
	kindNone codeKind = iota
	kindHS
	kindCountry
)

type codeScan struct{ hs, countries []string }

// value reads the JSON value at the start of b, whose strings are codes
// of kind, and returns what follows it (nil on malformed input, which a
// canonical form never is).
func (c *codeScan) value(b []byte, kind codeKind) []byte {
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		n := stringLen(b)
		if n == 0 {
			return nil
		}
		switch kind {
		case kindHS:
			c.hs = append(c.hs, decodeString(b[:n]))
		case kindCountry:
			c.countries = append(c.countries, decodeString(b[:n]))
		}
		return b[n:]
	case '[': // elements inherit the member's kind
		b = b[1:]
		for len(b) > 0 && b[0] != ']' {
			if b = c.value(b, kind); len(b) > 0 && b[0] == ',' {
				b = b[1:]
			}
		}
	case '{':
		b = b[1:]
		for len(b) > 0 && b[0] == '"' {
			n := stringLen(b)
			if n == 0 || n >= len(b) || b[n] != ':' {
				return nil
			}
			if b = c.value(b[n+1:], memberKind(b[1:n-1])); len(b) > 0 && b[0] == ',' {
				b = b[1:]
			}
		}
	default: // number, true, false, null
		i := bytes.IndexAny(b, ",]}")
		if i < 0 {
			return nil
		}
		return b[i:]
	}
	if len(b) == 0 {
		return nil
	}
	return b[1:] // the closing ']' or '}'
}

// memberKind is the kind of codes a member's strings are.
func memberKind(name []byte) codeKind {
	switch string(name) {
	case "hsCode":
		return kindHS
	case "countryCode", "countryOfOrigin", "originCountry", "destinationCountry",
		"countryOfExport", "countryOfDestination", "jurisdictions", "territories":
		return kindCountry
	}
	return kindNone
}

// stringLen returns the length in bytes of the JSON string at the start
// of b, quotes included (0 if b does not start with a complete string).
func stringLen(b []byte) int {
	for i := 1; i < len(b); {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return 0
		}
		i += j
		k := i // the quote is escaped if an odd number of '\' precede it
		for k > 1 && b[k-1] == '\\' {
			k--
		}
		if (i-k)%2 == 0 {
			return i + 1
		}
		i++
	}
	return 0
}

// decodeString returns the value of the JSON string s (quotes included).
func decodeString(s []byte) string {
	if bytes.IndexByte(s, '\\') < 0 {
		return string(s[1 : len(s)-1])
	}
	var v string
	_ = json.Unmarshal(s, &v) // s is a complete string token of canonical JSON
	return v
}
