package node

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

// commitExpiry is how long an unrevealed commit stays payable (factomd: one
// hour).
const commitExpiry = time.Hour

// parseCommit parses a commit message of either kind.
func parseCommit(msg []byte, chain bool) (*commitRec, error) {
	if chain {
		cc, err := protocol.UnmarshalCommitChain(msg)
		if err != nil {
			return nil, err
		}
		return &commitRec{txID: cc.TxID(), entryHash: cc.EntryHash, chain: cc, credits: cc.Credits, pub: cc.ECPubKey, milli: cc.MilliTime}, nil
	}
	ce, err := protocol.UnmarshalCommitEntry(msg)
	if err != nil {
		return nil, err
	}
	return &commitRec{txID: ce.TxID(), entryHash: ce.EntryHash, entry: ce, credits: ce.Credits, pub: ce.ECPubKey, milli: ce.MilliTime}, nil
}

// checkCommit applies factomd's acceptance rules to a parsed commit that
// is about to be applied (signature and time are checked by the caller).
func (s *state) checkCommit(c *commitRec) *protocol.RPCError {
	if prev := s.commits[c.entryHash]; prev != nil && prev.credits >= c.credits {
		return errRepeatedCommit(c.entryHash)
	}
	if s.entries[c.entryHash] != nil {
		return errRepeatedCommit(c.entryHash)
	}
	if c.chain != nil {
		for id := range s.pendingChains {
			if protocol.Shad(id[:]) == c.chain.ChainIDHash {
				return errInvalidParamsData("Invalid Commit Chain: the chain exists")
			}
		}
		if s.chainByHash(c.chain.ChainIDHash) {
			return errInvalidParamsData("Invalid Commit Chain: the chain exists")
		}
	}
	if bal := s.balances[c.pub]; bal < int64(c.credits) {
		return errInvalidParamsData(fmt.Sprintf("Insufficient entry credits: %s holds %d, the commit pays %d", c.pub, bal, c.credits))
	}
	return nil
}

// chainByHash reports whether a sealed chain has SHA256d(chain id) == h.
func (s *state) chainByHash(h protocol.Hash) bool { return s.chainHashes[h] }

// applyCommit records an accepted commit and charges its key.
func (s *state) applyCommit(c *commitRec, minute byte) {
	c.minute = minute
	s.balances[c.pub] -= int64(c.credits)
	s.commits[c.entryHash] = c
	s.commitsByTx[c.txID] = c
	s.pendingCommits = append(s.pendingCommits, c)
}

// checkReveal applies the rules a reveal must meet against the commit that
// pays for it.
func (s *state) checkReveal(e *protocol.Entry, eh protocol.Hash) *protocol.RPCError {
	c := s.commits[eh]
	if c == nil {
		return errInvalidParamsData("Invalid Entry: no commit pays for entry " + eh.String())
	}
	cost := protocol.CostOf(e.PayloadSize())
	if c.chain != nil {
		switch {
		case c.chain.ChainIDHash != protocol.Shad(e.ChainID[:]) || c.chain.Weld != protocol.Weld(eh, e.ChainID):
			return errInvalidParamsData("Invalid Entry: the chain commit does not match this entry's chain id")
		case protocol.ChainIDOf(e.ExtIDs...) != e.ChainID:
			return errInvalidParamsData("Invalid Entry: a chain's first entry's ExtIDs must hash to its chain id")
		case s.chainExists(e.ChainID):
			return errInvalidParamsData("Invalid Entry: chain " + e.ChainID.String() + " exists")
		case c.credits < cost+protocol.NewChainCost:
			return errInvalidParamsData(fmt.Sprintf("Invalid Entry: the commit pays %d credits; the chain costs %d", c.credits, cost+protocol.NewChainCost))
		}
		return nil
	}
	switch {
	case !s.chainExists(e.ChainID):
		return errInvalidParamsData("Invalid Entry: chain " + e.ChainID.String() + " does not exist")
	case c.credits < cost:
		return errInvalidParamsData(fmt.Sprintf("Invalid Entry: the commit pays %d credits; the entry costs %d", c.credits, cost))
	}
	return nil
}

// applyReveal adds a checked entry to the block being built.
func (s *state) applyReveal(e *protocol.Entry, raw []byte, eh protocol.Hash, minute byte) {
	c := s.commits[eh]
	r := &entryRec{hash: eh, raw: raw, entry: e, minute: minute, commit: c}
	c.revealed = r
	delete(s.commits, eh)
	s.paidBy[eh] = c
	s.entries[eh] = r
	s.pendingReveals = append(s.pendingReveals, r)
	if c.chain != nil {
		s.pendingChains[e.ChainID] = true
	}
}

// replay applies one log record.
func (s *state) replay(rec []byte) error {
	if len(rec) == 0 {
		return fmt.Errorf("%w: empty record", protocol.ErrMalformed)
	}
	body := rec[1:]
	switch rec[0] {
	case recHeader:
		if len(body) < 13 || body[0] != 1 {
			return fmt.Errorf("%w: log header", protocol.ErrMalformed)
		}
		s.network = binary.BigEndian.Uint32(body[1:])
		s.rate = binary.BigEndian.Uint64(body[5:])
	case recFund:
		if len(body) != 40 {
			return fmt.Errorf("%w: funding record", protocol.ErrMalformed)
		}
		s.balances[protocol.ECPublic(body[:32])] += int64(binary.BigEndian.Uint64(body[32:]))
	case recCommit:
		if len(body) < 2 {
			return fmt.Errorf("%w: commit record", protocol.ErrMalformed)
		}
		c, err := parseCommit(body[1:], len(body[1:]) == protocol.CommitChainSize)
		if err != nil {
			return err
		}
		s.applyCommit(c, body[0])
	case recReveal:
		if len(body) < 2 {
			return fmt.Errorf("%w: reveal record", protocol.ErrMalformed)
		}
		raw := append([]byte(nil), body[1:]...)
		e, err := protocol.UnmarshalEntry(raw)
		if err != nil {
			return err
		}
		eh := e.Hash()
		if s.commits[eh] == nil {
			return fmt.Errorf("%w: reveal of %s without a commit", protocol.ErrMalformed, eh)
		}
		s.applyReveal(e, raw, eh, body[0])
	case recSeal:
		if len(body) != 36 {
			return fmt.Errorf("%w: seal record", protocol.ErrMalformed)
		}
		ts := binary.BigEndian.Uint32(body)
		b := s.build(ts)
		if b.keyMR != protocol.Hash(body[4:]) {
			return fmt.Errorf("%w: block %d rebuilds to KeyMR %s; the log says %s", protocol.ErrMalformed, b.db.Header.DBHeight, b.keyMR, protocol.Hash(body[4:]))
		}
		s.install(b, ts)
	default:
		return fmt.Errorf("%w: record type %q", protocol.ErrMalformed, rec[0])
	}
	return nil
}

func headerRecord(network uint32, rate uint64) []byte {
	b := []byte{recHeader, 1}
	b = binary.BigEndian.AppendUint32(b, network)
	return binary.BigEndian.AppendUint64(b, rate)
}

func fundRecord(pub protocol.ECPublic, credits uint64) []byte {
	b := append([]byte{recFund}, pub[:]...)
	return binary.BigEndian.AppendUint64(b, credits)
}

func commitRecord(c *commitRec, minute byte) []byte {
	return append([]byte{recCommit, minute}, c.message()...)
}

func revealRecord(raw []byte, minute byte) []byte {
	return append([]byte{recReveal, minute}, raw...)
}

func sealRecord(ts uint32, keyMR protocol.Hash) []byte {
	b := binary.BigEndian.AppendUint32([]byte{recSeal}, ts)
	return append(b, keyMR[:]...)
}
