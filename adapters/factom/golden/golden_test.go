package golden_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ledgergate/ledgergate/adapters/factom/golden"
)

const path = "../testdata/factomd-6.13-golden.json"

func load(t *testing.T) *golden.Vectors {
	t.Helper()
	v, err := golden.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestProtocolMatchesFactomd recomputes every captured value.
func TestProtocolMatchesFactomd(t *testing.T) {
	v := load(t)
	if err := golden.Check(v); err != nil {
		t.Fatal(err)
	}
	if len(v.Blocks) < 3 || len(v.EBlocks) < 2 || len(v.Entries) < 3 || len(v.Receipts) < 4 {
		t.Fatalf("the vectors are thin: %d blocks, %d entry blocks, %d entries, %d receipts", len(v.Blocks), len(v.EBlocks), len(v.Entries), len(v.Receipts))
	}
}

// TestCheckCatchesTampering makes sure Check is not vacuous: every
// tampered field is reported.
func TestCheckCatchesTampering(t *testing.T) {
	flip := func(s string) string {
		if s == "" {
			return s
		}
		c := "0"
		if s[len(s)-1] == '0' {
			c = "1"
		}
		return s[:len(s)-1] + c
	}
	cases := map[string]func(v *golden.Vectors){
		"entry hash":    func(v *golden.Vectors) { v.Entries[0].EntryHash = flip(v.Entries[0].EntryHash) },
		"chain id":      func(v *golden.Vectors) { v.Chain.ChainID = flip(v.Chain.ChainID) },
		"commit":        func(v *golden.Vectors) { v.Entries[1].Commit = flip(v.Entries[1].Commit) },
		"dblock keymr":  func(v *golden.Vectors) { v.Blocks[1].KeyMR = flip(v.Blocks[1].KeyMR) },
		"ecblock":       func(v *golden.Vectors) { v.Blocks[2].ECBlock = flip(v.Blocks[2].ECBlock) },
		"fblock":        func(v *golden.Vectors) { v.Blocks[0].FBlock = flip(v.Blocks[0].FBlock) },
		"ablock":        func(v *golden.Vectors) { v.Blocks[1].ABlock = flip(v.Blocks[1].ABlock) },
		"eblock keymr":  func(v *golden.Vectors) { v.EBlocks[0].KeyMR = flip(v.EBlocks[0].KeyMR) },
		"funding tx":    func(v *golden.Vectors) { v.Funding.TxRaw = flip(v.Funding.TxRaw) },
		"receipt entry": func(v *golden.Vectors) { v.Receipts[0].EntryHash = flip(v.Receipts[0].EntryHash) },
		"receipt branch": func(v *golden.Vectors) {
			var compact bytes.Buffer
			_ = json.Compact(&compact, v.Receipts[1].Answer)
			i := strings.Index(compact.String(), `"top":"`) + len(`"top":"`)
			b := compact.Bytes()
			b[i] ^= 1 // another hex digit
			v.Receipts[1].Answer = b
		},
	}
	for name, tamper := range cases {
		v := load(t)
		tamper(v)
		if golden.Check(v) == nil {
			t.Errorf("tampered %s: Check passed", name)
		}
	}
}
