package bytedfa

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// patterns: the shipped schemas' patterns and constructs that exercise
// the construction (unanchored search, alternation across anchors, case
// folding, any-char, empty matches, assertions in odd places).
var patterns = []string{
	`^\+[1-9][0-9]{6,14}$`,
	`^[A-Z]{3}[UJZ][0-9]{7}$`,
	`^[0-9A-Z]{2}$`,
	`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`,
	`^sha256:[0-9a-f]{64}$`,
	`^[a-z][a-z0-9+.-]*:[^\s]+$`,
	`^[A-Za-z0-9][A-Za-z0-9 ,./-]{0,39}$`,
	`^[A-Z]{2}[A-Z2-9]{3}$`,
	`^[0-9]{6}([0-9]{2}([0-9]{2})?)?$`,
	`^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})$`,
	`^1\.(0|[1-9][0-9]{0,3})$`,
	`^-?(0|[1-9][0-9]{0,27})(\.[0-9]{1,18})?$`,
	`^([0-9]{8}|[0-9]{12,14})$`,
	`ab`, `a+b*`, `^a|b$`, `(?i)^ab[c-e]$`, `^.$`, `^.*$`, `(?s)^.*x$`, `x*`, ``, `^$`, `$`, `^`,
	`a$|^b`, `$^`, `^$^$`, `x*$^`, `(?:$^)?a`, `^(a|ab)(c|bcd)$`, `[^a-c]+`, `\d{2,}`, `^\w+@\w+\.\w+$`, `\bfoo\b`, `(a|b)*abb`, `^(?:x$|y)z`,
}

// alphabet biased towards what the patterns use.
const alphabet = "0123456789abcdefxyzABCDEFTUJZ+-.:/ ,@_\n\tsha256urnid"

func randomInput(r *rand.Rand) string {
	n := r.IntN(24)
	b := make([]byte, 0, n+4)
	for range n {
		switch r.IntN(20) {
		case 0:
			b = append(b, byte(r.IntN(128)))
		case 1:
			b = append(b, "é"...)
		default:
			b = append(b, alphabet[r.IntN(len(alphabet))])
		}
	}
	return string(b)
}

// samples are strings some pattern should accept, so matches are
// exercised and not only rejections.
var samples = []string{
	"+15551234567", "MSCU1234565", "MX", "urn:uuid:0b6b5c1e-2a7b-4c1f-9e2d-3f4a5b6c7d8e",
	"sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	"https://example.com/x", "ACME Mfg, S.A. de C.V.", "MXVER", "870899", "87089910",
	"2026-03-01T10:00:00-06:00", "2026-03-01T10:00:00.123Z", "1.0", "1.12", "-0.5", "123.456",
	"12345678", "123456789012", "ab", "aab", "b", "a", "ABD", "x", "", "\n", "abcd", "abb", "xz", "yz",
	"foo bar", "12", "me@example.com",
}

func TestMatchesRegexp(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, p := range patterns {
		m, err := Compile(p)
		if err != nil {
			t.Fatalf("Compile(%q): %v", p, err)
		}
		re := regexp.MustCompile(p)
		check := func(s string) {
			if got, want := m.MatchString(s), re.MatchString(s); got != want {
				t.Fatalf("pattern %q, input %q: got %v, regexp says %v", p, s, got, want)
			}
		}
		for _, s := range samples {
			check(s)
			// Every prefix, suffix and one-byte mutation of the sample.
			for i := range len(s) + 1 {
				check(s[:i])
				check(s[i:])
				if i < len(s) {
					check(s[:i] + string(alphabet[r.IntN(len(alphabet))]) + s[i+1:])
				}
			}
		}
		for range 2000 {
			check(randomInput(r))
		}
	}
}

func TestSchemaPatternsUseTheAutomaton(t *testing.T) {
	for _, p := range patterns[:13] {
		if !MustCompile(p).Automaton() {
			t.Errorf("pattern %q fell back to the regexp package", p)
		}
	}
	if MustCompile(`\bfoo\b`).Automaton() {
		t.Error(`\b must fall back: the automaton does not track word boundaries`)
	}
}

func TestTooManyStatesFallsBack(t *testing.T) {
	// (a|b)*a(a|b){12}: the classic exponential DFA (2^13 states).
	m := MustCompile(`(a|b)*a(a|b){12}`)
	if m.Automaton() {
		t.Fatal("expected the state limit to force the regexp fallback")
	}
	if !m.MatchString("aaaaaaaaaaaaaaa") || m.MatchString("b") {
		t.Fatal("fallback answers wrongly")
	}
}

func TestCompileErrorsLikeRegexp(t *testing.T) {
	if _, err := Compile(`a(`); err == nil {
		t.Fatal("want a syntax error")
	}
}

func FuzzMatchesRegexp(f *testing.F) {
	for i, p := range patterns {
		f.Add(p, samples[i%len(samples)])
	}
	f.Fuzz(func(t *testing.T, p, s string) {
		re, err := regexp.Compile(p)
		if err != nil {
			if _, err2 := Compile(p); err2 == nil {
				t.Fatalf("Compile(%q) accepted what regexp refuses", p)
			}
			return
		}
		m, err := Compile(p)
		if err != nil {
			t.Fatalf("Compile(%q): %v", p, err)
		}
		if got, want := m.MatchString(s), re.MatchString(s); got != want {
			t.Fatalf("pattern %q, input %q: got %v, regexp says %v", p, s, got, want)
		}
	})
}

func BenchmarkMatch(b *testing.B) {
	const p = `^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})$`
	const s = "2026-03-01T10:00:00.123-06:00"
	b.Run("bytedfa", func(b *testing.B) {
		m := MustCompile(p)
		for b.Loop() {
			if !m.MatchString(s) {
				b.Fatal("no match")
			}
		}
	})
	b.Run("regexp", func(b *testing.B) {
		re := regexp.MustCompile(p)
		for b.Loop() {
			if !re.MatchString(s) {
				b.Fatal("no match")
			}
		}
	})
}
