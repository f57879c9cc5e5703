package node_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom/golden"
	"github.com/ledgergate/ledgergate/adapters/factom/node"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

// TestGoldenReplay feeds the commit and reveal messages factomd 6.13
// accepted into the embedded node (its clock set to the capture's time)
// and expects factomd's answers byte for byte, then compares the shape of
// every other answer and each error.
func TestGoldenReplay(t *testing.T) {
	v, err := golden.Load("../testdata/factomd-6.13-golden.json")
	if err != nil {
		t.Fatal(err)
	}
	at, err := time.Parse(time.RFC3339, v.Captured)
	if err != nil {
		t.Fatal(err)
	}
	key, err := protocol.ParseECSecret(v.ECSecret)
	if err != nil {
		t.Fatal(err)
	}
	n, err := node.New(t.TempDir(), node.WithFunds(key.Public(), 1000), node.WithClock(func() time.Time { return at.Add(time.Minute) }))
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	ctx := context.Background()
	call := func(method string, params any) (json.RawMessage, *protocol.RPCError) {
		p, _ := json.Marshal(params)
		res, rerr := n.Call(ctx, method, p)
		if rerr != nil {
			return nil, rerr
		}
		b, _ := json.Marshal(res)
		return b, nil
	}
	same := func(what string, got, want json.RawMessage) {
		t.Helper()
		var g, w bytes.Buffer
		_ = json.Compact(&g, got)
		_ = json.Compact(&w, want)
		if g.String() != w.String() {
			t.Errorf("%s:\n got %s\nwant %s (factomd)", what, g.String(), w.String())
		}
	}
	writes := append([]golden.Write{v.Chain}, v.Entries...)
	for i, w := range writes {
		commit, reveal := "commit-entry", "reveal-entry"
		if i == 0 {
			commit, reveal = "commit-chain", "reveal-chain"
		}
		got, rerr := call(commit, protocol.MessageRequest{Message: w.Commit})
		if rerr != nil {
			t.Fatalf("%s %d: %v", commit, i, rerr)
		}
		same(commit, got, w.CommitAnswer)
		if got, rerr = call(reveal, protocol.EntryRequest{Entry: w.EntryRaw}); rerr != nil {
			t.Fatalf("%s %d: %v", reveal, i, rerr)
		}
		same(reveal, got, w.RevealAnswer)
	}
	waitFor(t, func() bool {
		st, _ := call("ack", protocol.AckRequest{Hash: writes[len(writes)-1].EntryHash, ChainID: v.Chain.ChainID})
		var s protocol.EntryStatus
		_ = json.Unmarshal(st, &s)
		return s.EntryData.Status == protocol.AckDBlockConfirmed
	})
	for _, w := range writes {
		got, rerr := call("entry", protocol.HashRequest{Hash: w.EntryHash})
		if rerr != nil {
			t.Fatal(rerr)
		}
		same("entry", got, w.EntryAnswer)
	}

	// Other answers: the same fields as factomd's (ours may add some).
	head, _ := call("chain-head", protocol.ChainIDRequest{ChainID: v.Chain.ChainID})
	var ch protocol.ChainHeadResponse
	_ = json.Unmarshal(head, &ch)
	h := n.Height()
	var dbl protocol.DBlockByHeightResponse
	raw, _ := call("dblock-by-height", protocol.HeightRequest{Height: h})
	_ = json.Unmarshal(raw, &dbl)
	ours := map[string]any{
		"entry-block":          protocol.KeyMRRequest{KeyMR: ch.ChainHead},
		"directory-block":      protocol.KeyMRRequest{KeyMR: dbl.DBlock.KeyMR},
		"dblock-by-height":     protocol.HeightRequest{Height: h, NoRaw: true},
		"entry-credit-balance": protocol.AddressRequest{Address: key.Public().String()},
	}
	names := make([]string, 0, len(v.Answers))
	for name := range v.Answers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		a := v.Answers[name]
		var params any = a.Params
		if p, ok := ours[name]; ok {
			params = p
		}
		if name == "ack-commit" {
			// Our own commit's tx id: the same message, so the same id.
			params = a.Params
		}
		got, rerr := call(a.Method, params)
		if rerr != nil {
			t.Errorf("%s: %v", name, rerr)
			continue
		}
		if err := sameShape(name, got, a.Result); err != nil {
			t.Error(err)
		}
	}

	// Errors: factomd's codes, messages and data. One known difference:
	// factomd answers a commit of an entry already on the ledger with
	// "Entry Commit Success" (and later drops the reveal); the embedded
	// node refuses it with -32011 Repeated Commit and charges nothing.
	for _, e := range v.Errors {
		res, rerr := call(e.Method, e.Params)
		if e.Name == "repeated commit" {
			if rerr == nil || rerr.Code != protocol.CodeRepeatedCommit {
				t.Errorf("%s: %v %s, want -32011", e.Name, rerr, res)
			}
			continue
		}
		switch {
		case e.Error == nil && rerr != nil:
			t.Errorf("%s: error %v; factomd answered %s", e.Name, rerr, e.Result)
		case e.Error != nil && rerr == nil:
			t.Errorf("%s: answered %s; factomd: %d %s %s", e.Name, res, e.Error.Code, e.Error.Message, e.Error.Data)
		case e.Error != nil && (rerr.Code != e.Error.Code || rerr.Message != e.Error.Message || !bytes.Equal(compact(rerr.Data), compact(e.Error.Data))):
			t.Errorf("%s: %d %s %s; factomd: %d %s %s", e.Name, rerr.Code, rerr.Message, rerr.Data, e.Error.Code, e.Error.Message, e.Error.Data)
		}
	}
}

func compact(b json.RawMessage) []byte {
	var out bytes.Buffer
	if len(b) == 0 {
		return nil
	}
	_ = json.Compact(&out, b)
	return out.Bytes()
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 30s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// sameShape checks that got has every object key want has, recursively
// (arrays: their first elements), with the same JSON kinds.
func sameShape(path string, got, want json.RawMessage) error {
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return shape(path, g, w)
}

func shape(path string, g, w any) error {
	switch wv := w.(type) {
	case map[string]any:
		gv, ok := g.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: %T, factomd has an object", path, g)
		}
		for k, x := range wv {
			y, ok := gv[k]
			if !ok {
				return fmt.Errorf("%s: no %q (factomd has it)", path, k)
			}
			if err := shape(path+"."+k, y, x); err != nil {
				return err
			}
		}
	case []any:
		gv, ok := g.([]any)
		if !ok && g != nil {
			return fmt.Errorf("%s: %T, factomd has an array", path, g)
		}
		if len(wv) > 0 && len(gv) > 0 {
			return shape(path+"[0]", gv[0], wv[0])
		}
	case nil:
	default:
		if fmt.Sprintf("%T", g) != fmt.Sprintf("%T", w) {
			return fmt.Errorf("%s: %T, factomd has %T", path, g, w)
		}
	}
	return nil
}
