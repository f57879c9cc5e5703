package schema

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gowebpki/jcs"
)

// TestSpecialInWord checks the eight-bytes-at-a-time scan against the
// byte loop it replaces: every byte value in every position, next to
// plain and to special neighbours, and random words.
func TestSpecialInWord(t *testing.T) {
	special := func(c byte) bool { return c == '"' || c == '\\' || c < 0x20 }
	check := func(b [8]byte) {
		want := false
		for _, c := range b {
			want = want || special(c)
		}
		if got := specialInWord(binary.LittleEndian.Uint64(b[:])); got != want {
			t.Fatalf("specialInWord(%q) = %v, want %v", b[:], got, want)
		}
	}
	for pos := range 8 {
		for _, fill := range []byte{'a', 0x7f, 0x80, 0xff, 0x20, 0x21, '"' + 1, '\\' + 1} {
			for c := range 256 {
				var b [8]byte
				for i := range b {
					b[i] = fill
				}
				b[pos] = byte(c)
				check(b)
			}
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 200000 {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], r.Uint64())
		check(b)
	}
}

// TestParseCanonicalMembers: keys out of order, escaped keys and values,
// nested objects and whitespace everywhere give the RFC 8785 form.
func TestParseCanonicalMembers(t *testing.T) {
	for in, want := range map[string]string{
		`{ "b" : 1 , "a" : { "d" : [ 1 , "x" ] , "c" : null } }`: `{"a":{"c":null,"d":[1,"x"]},"b":1}`,
		`{"\u0062":"\u00e9\n","a\/":true}`:                       `{"a/":true,"b":"é\n"}`,
		`{"z":{"y":{"x":{}}},"a":[]}`:                            `{"a":[],"z":{"y":{"x":{}}}}`,
		`[{"b":-0,"a":1.50},{"\ud83d\ude00":1,"\uffff":2}]`:      "[{\"a\":1.5,\"b\":0},{\"😀\":1,\"\uffff\":2}]",
	} {
		_, got, err := parseCanonical([]byte(in), DefaultMaxDepth)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if string(got) != want {
			t.Errorf("%s:\ngot  %s\nwant %s", in, got, want)
		}
	}
}

// TestParseCanonicalLargeObjects: objects beyond the insertion-sort size,
// with ASCII and non-ASCII keys, in the order gowebpki/jcs gives.
func TestParseCanonicalLargeObjects(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	keys := []string{"a", "b", "B", "é", "😀", "\uffff", "\u20ac", "z0", "z", "aa", "a\u0000"}
	for n := range 40 {
		var b strings.Builder
		b.WriteString("{")
		perm := r.Perm(n)
		for i, k := range perm {
			if i > 0 {
				b.WriteString(",")
			}
			key := fmt.Sprintf("%s%d", keys[k%len(keys)], k)
			kb, _ := json.Marshal(key)
			fmt.Fprintf(&b, "%s:%d", kb, k)
		}
		b.WriteString("}")
		_, got, err := parseCanonical([]byte(b.String()), DefaultMaxDepth)
		if err != nil {
			t.Fatal(err)
		}
		want, err := jcs.Transform([]byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Fatalf("%d members:\ngot  %s\nwant %s", n, got, want)
		}
	}
}
