package sqlstore

import (
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// Index codes as full-text terms (Dialect.Terms, SQLite since store
// version 7).
//
// A version's HS and country codes are the list filters' index. Stored
// as rows of a B-tree keyed (kind, code, seq), every new version adds
// about five rows, each on a leaf chosen by its code: real codes come from
// schedules of thousands, so each lands on a page of its own, which the
// commit then writes whole to the WAL and later to the database. That was
// a third of the cost of accepting a record. SQLite's FTS5 is a
// log-structured index instead: a transaction's terms are collected in
// memory and written at commit as one new segment, in term order, and
// segments are merged in the background of later inserts. The table is
// contentless (content=”), keeps no positions (detail=none) or column
// sizes (columnsize=0), so a version costs one row of terms and nothing
// else; the row id is the version's seq.
//
// Terms are hex so that any code (deployment-specific types may index
// any string) is one token of the ascii tokenizer and no query operator:
//
//	h<hex(code)>       every HS code
//	p<hex(prefix)>     the 2-, 4- and 6-digit prefixes (chapter, heading,
//	                   subheading) of every HS code longer than them
//	c<hex(country)>    every country code
//
// An HS filter of 2, 4 or 6 digits is then one term lookup (the prefix
// term, or the code itself when it is that long); other lengths are a
// prefix query on the h terms, which FTS5 answers by merging the doclists
// of the matching codes (few for 7 digits and more; odd lengths under 6
// are not levels of the Harmonized System). Country filters are exact,
// as in the table they replace.

// termsInsert stores a whole wave's terms with one statement, from a
// JSON array of [seq, terms] pairs (appendTermsRow). FTS5 collects
// inserted terms in memory and writes them as a new segment when the
// transaction commits, but also whenever a later statement of the
// transaction opens a savepoint, as every multi-row insert into the
// table does (a virtual table's insert may abort): inserted 50 rows per
// statement, a batch of 256 versions became six small segments, each
// with its own structure update and more merging later. One statement
// makes one segment per transaction, and it runs last of the wave's
// inserts, so nothing after it flushes it early.
const termsInsert = `INSERT INTO record_terms (rowid, terms) SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)`

// appendTermsRow appends the pair [seq, terms] to doc, the JSON array
// termsInsert reads, opening the array when doc is empty; the caller
// closes it. terms (from the terms function) holds letters, hex digits
// and spaces only, so it needs no escaping; anything else is escaped.
func appendTermsRow(doc []byte, seq int64, terms string) []byte {
	if len(doc) == 0 {
		doc = append(doc, '[')
	} else {
		doc = append(doc, ',')
	}
	doc = append(doc, '[')
	doc = strconv.AppendInt(doc, seq, 10)
	doc = append(doc, ',')
	if plainTerms(terms) {
		doc = append(doc, '"')
		doc = append(doc, terms...)
		doc = append(doc, '"')
	} else {
		b, _ := json.Marshal(terms) // a string always marshals
		doc = append(doc, b...)
	}
	return append(doc, ']')
}

// plainTerms reports whether s can be written as a JSON string as it is.
func plainTerms(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			return false
		}
	}
	return true
}

// hsLevels are the HS code prefix lengths that get a term of their own.
var hsLevels = [...]int{2, 4, 6}

// terms returns the FTS5 document of a version's distinct codes: its
// terms separated by spaces.
func terms(hs, countries []string) string {
	var b strings.Builder
	term := func(kind byte, s string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(kind)
		b.WriteString(hex.EncodeToString([]byte(s)))
	}
	var prefixes []string
	for _, c := range dedupe(hs) {
		term('h', c)
		for _, n := range hsLevels {
			if len(c) > n {
				prefixes = append(prefixes, c[:n])
			}
		}
	}
	for _, p := range dedupe(prefixes) {
		term('p', p)
	}
	for _, c := range dedupe(countries) {
		term('c', c)
	}
	return b.String()
}

// termsQuery returns the FTS5 MATCH expression for an HS code prefix
// (digits, possibly empty) and a country code (possibly empty), at least
// one of them set.
func termsQuery(hsPrefix, country string) string {
	var parts []string
	if hsPrefix != "" {
		h := `"h` + hex.EncodeToString([]byte(hsPrefix)) + `"`
		switch {
		case slices.Contains(hsLevels[:], len(hsPrefix)):
			parts = append(parts, `("p`+hex.EncodeToString([]byte(hsPrefix))+`" OR `+h+`)`)
		default:
			parts = append(parts, h+`*`)
		}
	}
	if country != "" {
		parts = append(parts, `"c`+hex.EncodeToString([]byte(country))+`"`)
	}
	return strings.Join(parts, " AND ")
}
