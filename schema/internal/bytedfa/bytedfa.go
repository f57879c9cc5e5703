// Package bytedfa matches strings against a regular expression with a
// deterministic automaton over ASCII bytes, built once when the pattern is
// compiled. It answers exactly what regexp.Regexp.MatchString answers for
// the same pattern (Go syntax, Perl flags): the automaton is built by
// subset construction from the program regexp/syntax compiles, so the two
// share one parser and one semantics.
//
// The automaton covers ASCII input; a string with a byte >= 0x80, or a
// pattern whose automaton would be too large or that uses an assertion
// other than ^ and $ (word boundaries), is matched by the regexp package.
// Schema patterns (codes, identifiers, decimals, timestamps) are short and
// ASCII, where a table lookup per byte is several times faster than the
// regexp package's general engines.
package bytedfa

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// MaxStates bounds the automaton; a pattern needing more is matched by
// the regexp package.
const MaxStates = 1024

// maxInsts bounds the program the automaton is built from, so building
// stays cheap for any pattern a deployment's schema may hold.
const maxInsts = 400

const dead = 0 // state 0: no thread alive

// Matcher matches one pattern.
type Matcher struct {
	re *regexp.Regexp
	// trans[s*128+b] is the state after byte b in state s; nil when the
	// pattern is not covered by an automaton.
	trans []uint16
	// matchNow[s]: a match has been found (some thread reached Match);
	// matchAtEnd[s]: the input may end here.
	matchNow   []bool
	matchAtEnd []bool
	start      uint16
	// emptyMatch: the empty string matches. It is the one input that ends
	// at the beginning, where ^ holds too ("$^" matches it), which the
	// states' matchAtEnd (evaluated past the beginning) do not cover.
	emptyMatch bool
}

// compiled caches matchers by pattern: schemas repeat the envelope's
// patterns in every record type, and a Matcher is immutable.
var compiled sync.Map // string -> *Matcher

// Compile compiles expr (Go regexp syntax), failing exactly when
// regexp.Compile fails.
func Compile(expr string) (*Matcher, error) {
	if m, ok := compiled.Load(expr); ok {
		return m.(*Matcher), nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	m := &Matcher{re: re}
	if b, ok := build(expr); ok {
		m.trans, m.matchNow, m.matchAtEnd, m.start, m.emptyMatch = b.trans, b.matchNow, b.matchAtEnd, b.start, b.emptyMatch
	}
	actual, _ := compiled.LoadOrStore(expr, m)
	return actual.(*Matcher), nil
}

// MustCompile is Compile for patterns known to be valid.
func MustCompile(expr string) *Matcher {
	m, err := Compile(expr)
	if err != nil {
		panic(fmt.Sprintf("bytedfa: Compile(%q): %v", expr, err))
	}
	return m
}

// String returns the source pattern.
func (m *Matcher) String() string { return m.re.String() }

// Automaton reports whether the pattern is matched by an automaton (for
// ASCII input) rather than by the regexp package.
func (m *Matcher) Automaton() bool { return m.trans != nil }

// MatchString reports whether s contains a match of the pattern, as
// regexp.Regexp.MatchString does.
func (m *Matcher) MatchString(s string) bool {
	if m.trans == nil {
		return m.re.MatchString(s)
	}
	if s == "" {
		return m.emptyMatch
	}
	st := m.start
	if m.matchNow[st] {
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return m.re.MatchString(s)
		}
		st = m.trans[int(st)<<7|int(c)]
		if st == dead {
			return false
		}
		if m.matchNow[st] {
			return true
		}
	}
	return m.matchAtEnd[st]
}

// builder performs the subset construction.
type builder struct {
	prog       *syntax.Prog
	anchored   bool // every match starts at the beginning of the text
	trans      []uint16
	matchNow   []bool
	matchAtEnd []bool
	start      uint16
	emptyMatch bool
	index      map[string]uint16
	sets       [][]uint32
	seen       []bool // scratch for follow
}

func build(expr string) (*builder, bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, false
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return nil, false
	}
	if len(prog.Inst) > maxInsts {
		return nil, false
	}
	for _, in := range prog.Inst {
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch, syntax.InstCapture, syntax.InstNop, syntax.InstMatch, syntax.InstFail,
			syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
		case syntax.InstEmptyWidth:
			if e := syntax.EmptyOp(in.Arg); e != syntax.EmptyBeginText && e != syntax.EmptyEndText {
				return nil, false
			}
		default:
			return nil, false
		}
	}
	b := &builder{prog: prog, index: map[string]uint16{}, seen: make([]bool, len(prog.Inst))}
	b.anchored = prog.StartCond()&syntax.EmptyBeginText != 0
	b.add(nil) // state 0: dead
	startSet := b.closure([]uint32{uint32(prog.Start)}, true)
	b.start = b.add(startSet)
	for _, pc := range b.follow([]uint32{uint32(prog.Start)}, true, true) {
		if prog.Inst[pc].Op == syntax.InstMatch {
			b.emptyMatch = true
		}
	}
	// The unanchored search starts a thread at every position.
	var restart []uint32
	if !b.anchored {
		restart = b.closure([]uint32{uint32(prog.Start)}, false)
	}
	classes, reps := b.byteClasses()
	for s := 1; s < len(b.sets); s++ {
		if len(b.sets) > MaxStates {
			return nil, false
		}
		// Bytes of one class move the same threads: one step per class.
		to := make([]uint16, len(reps))
		for k, c := range reps {
			var next []uint32
			for _, pc := range b.sets[s] {
				in := &b.prog.Inst[pc]
				if matches(in, rune(c)) {
					next = append(next, in.Out)
				}
			}
			closed := b.closure(next, false)
			if !b.anchored {
				closed = union(closed, restart)
			}
			to[k] = b.add(closed)
		}
		for c := range 128 {
			b.trans[s<<7|c] = to[classes[c]]
		}
	}
	if len(b.sets) > MaxStates {
		return nil, false
	}
	return b, true
}

// byteClasses partitions the ASCII bytes into classes no instruction of
// the program tells apart, and returns each byte's class and one byte of
// each class.
func (b *builder) byteClasses() (classes [128]int, reps []byte) {
	index := map[string]int{}
	sig := make([]byte, len(b.prog.Inst))
	for c := range 128 {
		for pc := range b.prog.Inst {
			sig[pc] = 0
			if matches(&b.prog.Inst[pc], rune(c)) {
				sig[pc] = 1
			}
		}
		k, ok := index[string(sig)]
		if !ok {
			k = len(reps)
			index[string(sig)] = k
			reps = append(reps, byte(c))
		}
		classes[c] = k
	}
	return classes, reps
}

// matches reports whether the instruction consumes rune r.
func matches(in *syntax.Inst, r rune) bool {
	switch in.Op {
	case syntax.InstRune, syntax.InstRune1:
		return in.MatchRune(r)
	case syntax.InstRuneAny:
		return true
	case syntax.InstRuneAnyNotNL:
		return r != '\n'
	}
	return false
}

// closure follows the empty transitions from pcs. ^ passes only at the
// beginning of the text; $ is kept in the set (it passes only at the end,
// which matchAtEnd evaluates). The result is sorted and has no duplicates.
func (b *builder) closure(pcs []uint32, atBeginning bool) []uint32 {
	return b.follow(pcs, atBeginning, false)
}

func (b *builder) follow(pcs []uint32, atBeginning, atEnd bool) []uint32 {
	seen := b.seen
	clear(seen)
	var out []uint32
	var visit func(pc uint32)
	visit = func(pc uint32) {
		if seen[pc] {
			return
		}
		seen[pc] = true
		in := &b.prog.Inst[pc]
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			visit(in.Out)
			visit(in.Arg)
		case syntax.InstCapture, syntax.InstNop:
			visit(in.Out)
		case syntax.InstEmptyWidth:
			switch syntax.EmptyOp(in.Arg) {
			case syntax.EmptyBeginText:
				if atBeginning {
					visit(in.Out)
				}
			case syntax.EmptyEndText:
				if atEnd {
					visit(in.Out)
				} else {
					out = append(out, pc)
				}
			}
		case syntax.InstFail:
		default: // consuming instructions and Match
			out = append(out, pc)
		}
	}
	for _, pc := range pcs {
		visit(pc)
	}
	slices.Sort(out)
	return out
}

func setKey(set []uint32) string {
	var key strings.Builder
	for _, pc := range set {
		key.WriteString(strconv.FormatUint(uint64(pc), 36))
		key.WriteByte(',')
	}
	return key.String()
}

func union(a, b []uint32) []uint32 {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// add returns the state for set, creating it (with its row of
// transitions, filled by build) if it is new.
func (b *builder) add(set []uint32) uint16 {
	k := setKey(set)
	if s, ok := b.index[k]; ok && len(b.sets) > 0 {
		return s
	}
	s := uint16(len(b.sets))
	if len(b.sets) > MaxStates {
		return dead // build gives up once the limit is passed
	}
	b.index[k] = s
	b.sets = append(b.sets, set)
	b.trans = append(b.trans, make([]uint16, 128)...)
	now, atEnd := false, false
	for _, pc := range set {
		if b.prog.Inst[pc].Op == syntax.InstMatch {
			now = true
		}
	}
	// Input ending here: pass the $ assertions (and ^ too when this is
	// the start state of empty input, which closure already passed).
	for _, pc := range b.follow(set, false, true) {
		if b.prog.Inst[pc].Op == syntax.InstMatch {
			atEnd = true
		}
	}
	b.matchNow = append(b.matchNow, now)
	b.matchAtEnd = append(b.matchAtEnd, atEnd)
	return s
}
