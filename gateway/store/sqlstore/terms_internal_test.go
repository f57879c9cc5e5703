package sqlstore

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"
)

func TestTerms(t *testing.T) {
	for _, tc := range []struct {
		hs, countries []string
		want          string
	}{
		{nil, nil, ""},
		{[]string{"721320"}, []string{"US"}, "h373231333230 p3732 p37323133 c5553"},
		// The prefixes of codes sharing them are written once; codes are
		// sorted and de-duplicated; a code no longer than a level gets
		// no prefix term of that length.
		{[]string{"7213200000", "721320", "7213200000", "72"}, []string{"MX", "CA", "MX"},
			"h3732 h373231333230 h37323133323030303030 p3732 p37323133 p373231333230 c4341 c4d58"},
		// Any string is one token: hex has no separators or operators.
		{[]string{"AB CD"}, []string{"é"}, "h4142204344 p4142 p41422043 cc3a9"},
	} {
		if got := terms(tc.hs, tc.countries); got != tc.want {
			t.Errorf("terms(%q, %q) = %q, want %q", tc.hs, tc.countries, got, tc.want)
		}
	}
}

func TestTermsQuery(t *testing.T) {
	for _, tc := range []struct{ hs, country, want string }{
		{"72", "", `("p3732" OR "h3732")`},
		{"721320", "", `("p373231333230" OR "h373231333230")`},
		{"721", "", `"h373231"*`},
		{"72132000", "", `"h3732313332303030"*`},
		{"", "MX", `"c4d58"`},
		{"7213", "MX", `("p37323133" OR "h37323133") AND "c4d58"`},
	} {
		if got := termsQuery(tc.hs, tc.country); got != tc.want {
			t.Errorf("termsQuery(%q, %q) = %s, want %s", tc.hs, tc.country, got, tc.want)
		}
	}
}

func TestPrefixEnd(t *testing.T) {
	for p, want := range map[string]string{"0510": "0511", "0519": "052", "72": "73", "0999": "1", "9": "", "99": "", "0": "1"} {
		if got := prefixEnd(p); got != want {
			t.Errorf("prefixEnd(%q) = %q, want %q", p, got, want)
		}
	}
}

// TestAppendTermsRow checks the document termsInsert reads: a JSON array
// of [seq, terms] pairs, strings escaped only where they must be.
func TestAppendTermsRow(t *testing.T) {
	rows := []struct {
		seq   int64
		terms string
	}{
		{1, "h373231333230 p3732 c5553"},
		{9007199254740993, "plain"},
		{3, `quote " backslash \ tab` + "\t" + ` é`},
	}
	var doc []byte
	for _, r := range rows {
		doc = appendTermsRow(doc, r.seq, r.terms)
	}
	doc = append(doc, ']')
	var got [][2]json.RawMessage
	if err := json.Unmarshal(doc, &got); err != nil {
		t.Fatalf("%s: %v", doc, err)
	}
	if len(got) != len(rows) {
		t.Fatalf("%s holds %d rows, want %d", doc, len(got), len(rows))
	}
	for i, r := range rows {
		var terms string
		if string(got[i][0]) != strconv.FormatInt(r.seq, 10) || json.Unmarshal(got[i][1], &terms) != nil || terms != r.terms {
			t.Errorf("row %d is [%s, %s], want [%d, %q]", i, got[i][0], got[i][1], r.seq, r.terms)
		}
	}
	if !bytes.Contains(doc, []byte(`[1,"h373231333230 p3732 c5553"]`)) {
		t.Errorf("plain terms were not written as they are: %s", doc)
	}
}
