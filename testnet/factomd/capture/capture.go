// Package capture records golden vectors from a running factomd: it buys
// entry credits with the LOCAL genesis key, creates a chain, writes
// entries, waits for their directory blocks and records the messages,
// answers, raw blocks, receipts and errors (see adapters/factom/golden).
package capture

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom/client"
	"github.com/ledgergate/ledgergate/adapters/factom/golden"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
	"github.com/ledgergate/ledgergate/testnet/factomd/realnode"
)

// Credits is what the capture buys.
const Credits = 500

// Capture runs the session against n.
func Capture(ctx context.Context, n *realnode.Node) (*golden.Vectors, error) {
	c := n.Client()
	s := &session{c: c, v: &golden.Vectors{Source: "factomd " + realnode.Version + ", LOCAL network, -blktime=2", Answers: map[string]golden.Reply{}}}
	seed := sha256.Sum256([]byte("ledgergate golden capture " + time.Now().String()))
	key, err := protocol.NewECKey(seed[:])
	if err != nil {
		return nil, err
	}
	s.key = key
	s.v.Captured = time.Now().UTC().Format(time.RFC3339)
	s.v.ECSecret, s.v.ECAddress = key.Secret(), key.Public().String()
	if err := s.fund(ctx, n); err != nil {
		return nil, err
	}
	if err := s.writes(ctx); err != nil {
		return nil, err
	}
	if err := s.blocks(ctx); err != nil {
		return nil, err
	}
	if err := s.answers(ctx); err != nil {
		return nil, err
	}
	if err := s.errors(ctx); err != nil {
		return nil, err
	}
	return s.v, nil
}

type session struct {
	c   *client.Client
	v   *golden.Vectors
	key protocol.ECKey
}

func (s *session) raw(ctx context.Context, method string, params any) (json.RawMessage, error) {
	return s.c.CallRaw(ctx, method, params)
}

func (s *session) fund(ctx context.Context, n *realnode.Node) error {
	rate, err := s.c.ECRate(ctx)
	if err != nil {
		return err
	}
	s.v.ECRate = rate
	s.v.NetworkID = protocol.NetworkLocal
	fk, err := protocol.ParseFactoidSecret(realnode.Genesis)
	if err != nil {
		return err
	}
	tx := protocol.BuyEntryCredits(fk, s.key.Public(), Credits, uint64(rate), time.Now())
	ans, err := s.raw(ctx, "factoid-submit", protocol.TransactionRequest{Transaction: hex.EncodeToString(tx.MarshalBinary())})
	if err != nil {
		return fmt.Errorf("capture: factoid-submit: %w", err)
	}
	s.v.Funding = golden.Funding{FactoidSecret: realnode.Genesis, Credits: Credits, TxRaw: hex.EncodeToString(tx.MarshalBinary()), Answer: ans}
	for {
		bal, err := s.c.ECBalance(ctx, s.key.Public())
		if err == nil && bal >= Credits {
			return nil
		}
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return fmt.Errorf("capture: waiting for the credits: %w", err)
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

func hexes(bs [][]byte) []string {
	var out []string
	for _, b := range bs {
		out = append(out, hex.EncodeToString(b))
	}
	return out
}

func (s *session) writes(ctx context.Context) error {
	first := protocol.NewChainEntry([]byte("ledgergate golden vectors: first entry"),
		[]byte("ledgergate"), []byte("golden"), []byte(s.v.Captured))
	cc, err := protocol.NewCommitChain(first, s.key, time.Now())
	if err != nil {
		return err
	}
	w := golden.Write{ChainID: first.ChainID.String(), ExtIDs: hexes(first.ExtIDs), Content: hex.EncodeToString(first.Content), EntryHash: first.Hash().String(), Commit: hex.EncodeToString(cc.MarshalBinary())}
	w.EntryRaw = rawHex(first)
	if w.CommitAnswer, err = s.raw(ctx, "commit-chain", protocol.MessageRequest{Message: w.Commit}); err != nil {
		return fmt.Errorf("capture: commit-chain: %w", err)
	}
	if w.RevealAnswer, err = s.raw(ctx, "reveal-chain", protocol.EntryRequest{Entry: w.EntryRaw}); err != nil {
		return fmt.Errorf("capture: reveal-chain: %w", err)
	}
	s.v.Chain = w
	// Entries of 1, 2 and 1 credits; one with no content, one with many
	// ExtIDs.
	entries := []*protocol.Entry{
		{ChainID: first.ChainID, ExtIDs: [][]byte{[]byte("record"), []byte("sha256:" + strings.Repeat("ab", 32))}, Content: []byte(`{"hello":"factom"}`)},
		{ChainID: first.ChainID, ExtIDs: [][]byte{[]byte("big")}, Content: []byte(strings.Repeat("0123456789", 150))},
		{ChainID: first.ChainID, ExtIDs: [][]byte{{}, []byte("a"), {0, 1, 2, 255}, []byte("empty content")}},
	}
	for i, e := range entries {
		if i == 2 {
			// A later minute of the same block (a minute is blktime/10).
			if err := sleep(ctx, 300*time.Millisecond); err != nil {
				return err
			}
		}
		if err := s.writeEntry(ctx, e); err != nil {
			return err
		}
	}
	for _, w := range append([]golden.Write{s.v.Chain}, s.v.Entries...) {
		if err := s.waitAck(ctx, w.EntryHash, w.ChainID); err != nil {
			return err
		}
	}
	// One more entry in a later block: a second entry block for the chain.
	last := &protocol.Entry{ChainID: first.ChainID, ExtIDs: [][]byte{[]byte("later")}, Content: []byte("second entry block")}
	if err := s.writeEntry(ctx, last); err != nil {
		return err
	}
	if err := s.waitAck(ctx, s.v.Entries[len(s.v.Entries)-1].EntryHash, last.ChainID.String()); err != nil {
		return err
	}
	all := append([]golden.Write{s.v.Chain}, s.v.Entries...)
	for i := range all {
		h, _ := protocol.ParseHash(all[i].EntryHash)
		if all[i].EntryAnswer, err = s.raw(ctx, "entry", protocol.HashRequest{Hash: h.String()}); err != nil {
			return fmt.Errorf("capture: entry: %w", err)
		}
		ans, err := s.raw(ctx, "receipt", protocol.ReceiptRequest{EntryHash: h.String()})
		if err != nil {
			return fmt.Errorf("capture: receipt: %w", err)
		}
		s.v.Receipts = append(s.v.Receipts, golden.ReceiptVector{EntryHash: h.String(), Answer: ans})
	}
	s.v.Chain, s.v.Entries = all[0], all[1:]
	return nil
}

func (s *session) writeEntry(ctx context.Context, e *protocol.Entry) error {
	ce, err := protocol.NewCommitEntry(e, s.key, time.Now())
	if err != nil {
		return err
	}
	w := golden.Write{ChainID: e.ChainID.String(), ExtIDs: hexes(e.ExtIDs), Content: hex.EncodeToString(e.Content), EntryHash: e.Hash().String(), EntryRaw: rawHex(e), Commit: hex.EncodeToString(ce.MarshalBinary())}
	if w.CommitAnswer, err = s.raw(ctx, "commit-entry", protocol.MessageRequest{Message: w.Commit}); err != nil {
		return fmt.Errorf("capture: commit-entry: %w", err)
	}
	if w.RevealAnswer, err = s.raw(ctx, "reveal-entry", protocol.EntryRequest{Entry: w.EntryRaw}); err != nil {
		return fmt.Errorf("capture: reveal-entry: %w", err)
	}
	s.v.Entries = append(s.v.Entries, w)
	return nil
}

func rawHex(e *protocol.Entry) string {
	b, _ := e.MarshalBinary()
	return hex.EncodeToString(b)
}

// waitAck polls ack until DBlockConfirmed, recording each distinct answer
// (status and date units change on the way).
func (s *session) waitAck(ctx context.Context, hash, chain string) error {
	last := ""
	for {
		ans, err := s.raw(ctx, "ack", protocol.AckRequest{Hash: hash, ChainID: chain})
		if err != nil {
			return fmt.Errorf("capture: ack: %w", err)
		}
		var st protocol.EntryStatus
		_ = json.Unmarshal(ans, &st)
		key := st.EntryData.Status + "/" + st.CommitData.Status
		if key != last {
			s.v.Acks = append(s.v.Acks, golden.AckVector{Hash: hash, ChainID: chain, Answer: ans})
			last = key
		}
		if st.EntryData.Status == protocol.AckDBlockConfirmed {
			return nil
		}
		if err := sleep(ctx, 100*time.Millisecond); err != nil {
			return fmt.Errorf("capture: entry %s not confirmed (last ack %s): %w", hash, ans, err)
		}
	}
}

type heightRaw struct {
	RawData string `json:"rawdata"`
}

func (s *session) rawByHeight(ctx context.Context, method string, h uint32) (string, error) {
	ans, err := s.raw(ctx, method, protocol.HeightRequest{Height: int64(h)})
	if err != nil {
		return "", fmt.Errorf("capture: %s %d: %w", method, h, err)
	}
	var r heightRaw
	if err := json.Unmarshal(ans, &r); err != nil || r.RawData == "" {
		return "", fmt.Errorf("capture: %s %d: no raw data (%v)", method, h, err)
	}
	return r.RawData, nil
}

func (s *session) blocks(ctx context.Context) error {
	cid, _ := protocol.ParseHash(s.v.Chain.ChainID)
	head, err := s.c.ChainHead(ctx, cid)
	if err != nil {
		return fmt.Errorf("capture: chain-head: %w", err)
	}
	var top uint32
	for k := head.ChainHead; k != "" && k != (protocol.Hash{}).String(); {
		h, _ := protocol.ParseHash(k)
		raw, err := s.c.RawData(ctx, h)
		if err != nil {
			return fmt.Errorf("capture: raw-data %s: %w", k, err)
		}
		ans, err := s.raw(ctx, "entry-block", protocol.KeyMRRequest{KeyMR: k})
		if err != nil {
			return fmt.Errorf("capture: entry-block: %w", err)
		}
		s.v.EBlocks = append(s.v.EBlocks, golden.EBlock{KeyMR: k, Raw: hex.EncodeToString(raw), Answer: ans})
		eb, err := protocol.UnmarshalEBlock(raw)
		if err != nil {
			return fmt.Errorf("capture: entry block %s: %w", k, err)
		}
		top = max(top, eb.Header.DBHeight)
		k = eb.Header.PrevKeyMR.String()
	}
	for h := uint32(0); h <= top; h++ {
		b := golden.Block{Height: h}
		ans, err := s.raw(ctx, "dblock-by-height", protocol.HeightRequest{Height: int64(h), NoRaw: true})
		if err != nil {
			return fmt.Errorf("capture: dblock-by-height %d: %w", h, err)
		}
		var wrap struct {
			DBlock json.RawMessage `json:"dblock"`
		}
		_ = json.Unmarshal(ans, &wrap)
		b.Answer = wrap.DBlock
		var dj protocol.DBlockJSON
		_ = json.Unmarshal(wrap.DBlock, &dj)
		b.KeyMR = dj.KeyMR
		if b.DirAns, err = s.raw(ctx, "directory-block", protocol.KeyMRRequest{KeyMR: dj.KeyMR}); err != nil {
			return fmt.Errorf("capture: directory-block: %w", err)
		}
		for _, x := range []struct {
			method string
			dst    *string
		}{{"dblock-by-height", &b.DBlock}, {"ablock-by-height", &b.ABlock}, {"ecblock-by-height", &b.ECBlock}, {"fblock-by-height", &b.FBlock}} {
			if *x.dst, err = s.rawByHeight(ctx, x.method, h); err != nil {
				return err
			}
		}
		s.v.Blocks = append(s.v.Blocks, b)
	}
	return nil
}

func (s *session) answers(ctx context.Context) error {
	cid := s.v.Chain.ChainID
	eh := s.v.Entries[0].EntryHash
	var eb string
	if len(s.v.EBlocks) > 0 {
		eb = s.v.EBlocks[0].KeyMR
	}
	calls := []struct {
		method string
		params any
	}{
		{"properties", nil},
		{"heights", nil},
		{"entry-credit-rate", nil},
		{"entry-credit-balance", protocol.AddressRequest{Address: s.v.ECAddress}},
		{"chain-head", protocol.ChainIDRequest{ChainID: cid}},
		{"entry", protocol.HashRequest{Hash: eh}},
		{"entry-block", protocol.KeyMRRequest{KeyMR: eb}},
		{"directory-block", protocol.KeyMRRequest{KeyMR: s.v.Blocks[len(s.v.Blocks)-1].KeyMR}},
		{"dblock-by-height", protocol.HeightRequest{Height: int64(s.v.Blocks[len(s.v.Blocks)-1].Height), NoRaw: true}},
		{"receipt", protocol.ReceiptRequest{EntryHash: eh}},
		{"ack", protocol.AckRequest{Hash: eh, ChainID: cid}},
		{"ack-commit", protocol.AckRequest{Hash: jsonField(s.v.Entries[0].CommitAnswer, "txid"), ChainID: "c"}},
	}
	for _, c := range calls {
		method := strings.TrimSuffix(c.method, "-commit")
		p, _ := json.Marshal(c.params)
		res, err := s.raw(ctx, method, c.params)
		if err != nil {
			return fmt.Errorf("capture: %s: %w", c.method, err)
		}
		s.v.Answers[c.method] = golden.Reply{Method: method, Params: p, Result: res}
	}
	return nil
}

func jsonField(raw json.RawMessage, f string) string {
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	s, _ := m[f].(string)
	return s
}

func (s *session) errors(ctx context.Context) error {
	zero := strings.Repeat("0", 63) + "1"
	cases := []struct {
		name, method string
		params       any
	}{
		{"method not found", "no-such-method", nil},
		{"bad commit-entry message", "commit-entry", protocol.MessageRequest{Message: "00"}},
		{"bad commit-chain message", "commit-chain", protocol.MessageRequest{Message: "00"}},
		{"bad reveal", "reveal-entry", protocol.EntryRequest{Entry: "zz"}},
		{"unknown entry", "entry", protocol.HashRequest{Hash: zero}},
		{"bad hash", "entry", protocol.HashRequest{Hash: "xyz"}},
		{"unknown chain", "chain-head", protocol.ChainIDRequest{ChainID: zero}},
		{"unknown entry block", "entry-block", protocol.KeyMRRequest{KeyMR: zero}},
		{"unknown directory block", "directory-block", protocol.KeyMRRequest{KeyMR: zero}},
		{"height beyond the head", "dblock-by-height", protocol.HeightRequest{Height: 1 << 30}},
		{"receipt of an unknown entry", "receipt", protocol.ReceiptRequest{EntryHash: zero}},
		{"repeated commit", "commit-entry", protocol.MessageRequest{Message: s.v.Entries[0].Commit}},
		{"bad address", "entry-credit-balance", protocol.AddressRequest{Address: "EC1"}},
	}
	for _, c := range cases {
		p, _ := json.Marshal(c.params)
		res, err := s.raw(ctx, c.method, c.params)
		r := golden.Reply{Name: c.name, Method: c.method, Params: p, Result: res}
		var e *protocol.RPCError
		switch {
		case errors.As(err, &e):
			r.Error = &golden.ErrorReply{Code: e.Code, Message: e.Message, Data: e.Data}
		case err != nil:
			return fmt.Errorf("capture: %s: %w", c.name, err)
		}
		s.v.Errors = append(s.v.Errors, r)
	}
	return nil
}
