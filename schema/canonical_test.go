package schema_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gowebpki/jcs"
	"github.com/ledgergate/ledgergate/schema"
)

// RFC 8785 section 3.2.2: numbers, strings and literals.
func TestRFC8785Section322(t *testing.T) {
	in := `{
  "numbers": [333333333.33333329, 1E30, 4.50,
              2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`
	want := `{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`
	got, err := schema.Canonicalize([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// RFC 8785 section 3.2.3: property sorting by UTF-16 code units.
func TestRFC8785Section323(t *testing.T) {
	in := `{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}`
	want := "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}"
	got, err := schema.Canonicalize([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

// RFC 8785 appendix B: number serialisation samples (IEEE 754 bits ->
// canonical text).
var appendixB = []struct {
	bits uint64
	want string // "" means the value must be refused
}{
	{0x0000000000000000, "0"},
	{0x8000000000000000, "0"},
	{0x0000000000000001, "5e-324"},
	{0x8000000000000001, "-5e-324"},
	{0x7fefffffffffffff, "1.7976931348623157e+308"},
	{0xffefffffffffffff, "-1.7976931348623157e+308"},
	{0x4340000000000000, "9007199254740992"},
	{0xc340000000000000, "-9007199254740992"},
	{0x4430000000000000, "295147905179352830000"},
	{0x7fffffffffffffff, ""},
	{0x7ff0000000000000, ""},
	{0x44b52d02c7e14af5, "9.999999999999997e+22"},
	{0x44b52d02c7e14af6, "1e+23"},
	{0x44b52d02c7e14af7, "1.0000000000000001e+23"},
	{0x444b1ae4d6e2ef4e, "999999999999999700000"},
	{0x444b1ae4d6e2ef4f, "999999999999999900000"},
	{0x444b1ae4d6e2ef50, "1e+21"},
	{0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
	{0x3eb0c6f7a0b5ed8d, "0.000001"},
	{0x41b3de4355555553, "333333333.3333332"},
	{0x41b3de4355555554, "333333333.33333325"},
	{0x41b3de4355555555, "333333333.3333333"},
	{0x41b3de4355555556, "333333333.3333334"},
	{0x41b3de4355555557, "333333333.33333343"},
	{0xbecbf647612f3696, "-0.0000033333333333333333"},
	{0x43143ff3c1cb0959, "1424953923781206.2"},
}

func TestRFC8785AppendixB(t *testing.T) {
	for _, tc := range appendixB {
		f := math.Float64frombits(tc.bits)
		got, err := jcs.NumberToJSON(f)
		if tc.want == "" {
			if err == nil {
				t.Errorf("%#016x: serialised %v as %s, want an error", tc.bits, f, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%#016x: NumberToJSON = %q, %v; want %q", tc.bits, got, err, tc.want)
		}
		// The same through Canonicalize, from a literal with an exponent
		// (so the strict parser's 2^53 integer rule does not apply).
		lit := strconv.FormatFloat(f, 'e', -1, 64)
		out, err := schema.Canonicalize([]byte(`[` + lit + `]`))
		if err != nil || string(out) != "["+tc.want+"]" {
			t.Errorf("%#016x: Canonicalize([%s]) = %s, %v; want [%s]", tc.bits, lit, out, err, tc.want)
		}
	}
}

func TestCanonicalIsIdempotent(t *testing.T) {
	for _, ex := range schema.Examples() {
		c1, err := schema.Canonicalize(ex.Data)
		if err != nil {
			t.Fatal(err)
		}
		c2, err := schema.Canonicalize(c1)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(c1, c2) {
			t.Fatalf("%s: canonicalising canonical bytes changed them", ex.File)
		}
	}
}

// TestDigestIgnoresKeyOrderAndWhitespace re-serialises every example with
// shuffled keys and random whitespace and checks the digest is unchanged.
func TestDigestIgnoresKeyOrderAndWhitespace(t *testing.T) {
	reg := schema.Default()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, ex := range schema.Examples() {
		want, err := reg.Validate(ex.Data)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		dec := json.NewDecoder(bytes.NewReader(ex.Data))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			t.Fatal(err)
		}
		for i := range 5 {
			var b strings.Builder
			writeShuffled(&b, doc, rng)
			got, err := reg.Validate([]byte(b.String()))
			if err != nil {
				t.Fatalf("%s variant %d: %v\n%s", ex.File, i, err, b.String())
			}
			if got.Digest != want.Digest {
				t.Fatalf("%s variant %d: digest %s, want %s", ex.File, i, got.Digest, want.Digest)
			}
		}
	}
}

func writeShuffled(b *strings.Builder, v any, rng *rand.Rand) {
	ws := func() { b.WriteString([]string{"", " ", "\n  ", "\t", "\r\n"}[rng.IntN(5)]) }
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		rng.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			ws()
			kb, _ := json.Marshal(k)
			b.Write(kb)
			ws()
			b.WriteByte(':')
			ws()
			writeShuffled(b, x[k], rng)
			ws()
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			ws()
			writeShuffled(b, e, rng)
		}
		b.WriteByte(']')
	case string:
		// Escape some characters the long way: the digest must not care.
		var sb strings.Builder
		for _, r := range x {
			if rng.IntN(4) == 0 && r < 0x10000 {
				fmt.Fprintf(&sb, `\u%04x`, r)
			} else {
				rb, _ := json.Marshal(string(r))
				sb.Write(rb[1 : len(rb)-1])
			}
		}
		b.WriteString(`"` + sb.String() + `"`)
	case json.Number:
		b.WriteString(string(x))
	default:
		jb, _ := json.Marshal(x)
		b.Write(jb)
	}
}

func TestParseDigest(t *testing.T) {
	good := "sha256:" + strings.Repeat("ab", 32)
	if d, err := schema.ParseDigest(good); err != nil || len(d.Bytes()) != 32 {
		t.Fatalf("ParseDigest(%s) = %v, %v", good, d, err)
	}
	for _, bad := range []string{"", "sha256:", "sha1:" + strings.Repeat("ab", 32), "sha256:" + strings.Repeat("AB", 32), "sha256:" + strings.Repeat("zz", 32)} {
		if _, err := schema.ParseDigest(bad); err == nil {
			t.Errorf("ParseDigest(%q) accepted", bad)
		}
	}
}
