package api

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestSplitArray(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		err  string
	}{
		{in: `[]`, want: nil},
		{in: " [ ] \n", want: nil},
		{in: `[{"a":1}]`, want: []string{`{"a":1}`}},
		{in: `[ {"a":"]},\"["} , [1,[2]] ,"x\\", 12.5e3,true,null ]`, want: []string{`{"a":"]},\"["}`, `[1,[2]]`, `"x\\"`, `12.5e3`, `true`, `null`}},
		{in: `{"a":1}`, err: `at byte 0 ('{'): expected '[' to open the array`},
		{in: ``, err: `at the end of the body (byte 0): expected '['`},
		{in: `[{"a":1}`, err: `the array is not closed`},
		{in: `[{"a":1}] {}`, err: `at byte 10 ('{'): unexpected data after the array`},
		{in: `[{"a":1}}]`, err: `at byte 8 ('}'): expected ',' or ']' after element 0`},
		{in: `[{"a":[1}]`, err: `at byte 8 ('}'): expected ']'`},
		{in: `[{"a":"x]`, err: `at byte 6 ('"'): a string is not closed`},
		{in: `[1,]`, err: `at byte 3 (']'): expected a value`},
		{in: `[,1]`, err: `at byte 1 (','): expected a value`},
		{in: `[{"id":`, err: `an element is not closed`},
		{in: `[` + strings.Repeat("[", maxSplitDepth+1), err: "nested more than 512 deep"},
	} {
		got, err := splitArray([]byte(tc.in))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want one containing %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if len(got) != len(tc.want) {
			t.Errorf("%q: %d elements %q, want %q", tc.in, len(got), got, tc.want)
			continue
		}
		for i := range got {
			if string(got[i]) != tc.want[i] {
				t.Errorf("%q element %d: %s, want %s", tc.in, i, got[i], tc.want[i])
			}
		}
	}
}

// FuzzSplitArray: on every valid JSON document, splitArray agrees with
// encoding/json (the same elements of an array, an error otherwise); on
// any input its elements are sub-slices in order, without overlap.
func FuzzSplitArray(f *testing.F) {
	for _, s := range []string{`[]`, `[{"a":[1,{"b":"]"}]},2,"\"",null]`, `[1 2]`, `{"a":1}`, `[{"a":1}]x`, `["\\"]`, `[[[]]]`, `[tru]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := splitArray(b)
		if json.Valid(b) {
			var want []json.RawMessage
			werr := json.Unmarshal(b, &want)
			if (err == nil) != (werr == nil) {
				t.Fatalf("%q: splitArray error %v, encoding/json error %v", b, err, werr)
			}
			if err == nil {
				if len(got) != len(want) {
					t.Fatalf("%q: %d elements, encoding/json %d", b, len(got), len(want))
				}
				for i := range got {
					if !bytes.Equal(got[i], want[i]) {
						t.Fatalf("%q element %d: %q, encoding/json %q", b, i, got[i], want[i])
					}
				}
			}
		}
		pos := 0
		for _, e := range got {
			k := bytes.Index(b[pos:], e)
			if len(e) == 0 || k < 0 {
				t.Fatalf("%q: element %q is empty or out of order", b, e)
			}
			pos += k + len(e)
		}
	})
}
