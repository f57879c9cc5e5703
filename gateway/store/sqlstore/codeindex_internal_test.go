package sqlstore

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// matchesCodeTerms reads a list filter as the query on the versions not
// yet indexed does: some h term starts with the escaped prefix, and the
// c term of the country is there.
func matchesCodeTerms(doc, hsPrefix, country string) bool {
	var terms []string
	if doc != "" {
		terms = strings.Split(doc, " ")
	}
	if hsPrefix != "" && !slices.ContainsFunc(terms, func(t string) bool { return strings.HasPrefix(t, "h"+escapeCode(hsPrefix)) }) {
		return false
	}
	return country == "" || slices.Contains(terms, "c"+escapeCode(country))
}

// TestCodeTermsMatchPrefixes checks the terms against the filters'
// meaning (some HS code starts with the prefix; some country code equals
// the filter) on random codes of digits, spaces, '%', NUL and multi-byte
// characters, and prefixes of them and of others.
func TestCodeTermsMatchPrefixes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	alphabet := []string{"0", "1", "2", " ", "%", "\x00", "é", "日", "%2", "20"}
	code := func(max int) string {
		var b strings.Builder
		for n := rng.IntN(max); b.Len() < n; {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	for range 3000 {
		var hs, countries []string
		for range rng.IntN(3) {
			hs = append(hs, code(20))
		}
		for range rng.IntN(3) {
			countries = append(countries, code(4))
		}
		doc := codeTerms(hs, countries)
		for _, term := range strings.Split(doc, " ") {
			if doc != "" && (len(term) < 1 || strings.ContainsRune(term, 0)) {
				t.Fatalf("codeTerms(%q, %q) = %q: an empty term or a NUL", hs, countries, doc)
			}
		}
		var prefixes []string
		for _, c := range append(slices.Clone(hs), code(20)) {
			for n := 1; n <= len(c); n++ {
				if n == len(c) || utf8.RuneStart(c[n]) {
					prefixes = append(prefixes, c[:n])
				}
			}
		}
		for _, p := range prefixes {
			for _, country := range append([]string{"", code(4)}, countries...) {
				want := slices.ContainsFunc(hs, func(c string) bool { return strings.HasPrefix(c, p) }) &&
					(country == "" || slices.Contains(countries, country))
				if got := matchesCodeTerms(doc, p, country); got != want {
					t.Fatalf("codes %q, countries %q (terms %q): filter hs %q country %q matches %v, want %v", hs, countries, doc, p, country, got, want)
				}
			}
		}
	}
}

// TestEscapeCodeBound: a code longer than maxCodeBytes is indexed by its
// first maxCodeBytes bytes at most, cut between characters.
func TestEscapeCodeBound(t *testing.T) {
	long := "12" + strings.Repeat("日", 400) // 1,202 bytes
	e := escapeCode(long)
	if len(e) > maxCodeBytes || !utf8.ValidString(e) || !strings.HasPrefix(long, e) || len(e) < maxCodeBytes-3 {
		t.Fatalf("escapeCode of %d bytes: %d bytes, valid UTF-8 %v", len(long), len(e), utf8.ValidString(e))
	}
	if got := escapeCode("a b%c\x00"); got != "a%20b%25c%00" {
		t.Fatalf("escapeCode: %q", got)
	}
}
