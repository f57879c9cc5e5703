package node

import (
	"bytes"
	"slices"
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

// build assembles the next directory block from the pending commits and
// reveals, without changing the state. ts is the block's timestamp in
// minutes.
func (s *state) build(ts uint32) *dblockRec {
	height := uint32(len(s.dblocks))
	prev := s.head()
	b := &dblockRec{}

	// Admin block: no entries (no federated servers to record).
	b.ab = &protocol.ABlock{DBHeight: height}
	// Entry-credit block: server index, then each minute's commits and its
	// marker.
	b.ec = &protocol.ECBlock{DBHeight: height}
	b.ec.Entries = append(b.ec.Entries, protocol.ECEntry{Type: protocol.ECIDServerIndex})
	for m := byte(0); m < 10; m++ {
		for _, c := range s.pendingCommits {
			if c.minute != m {
				continue
			}
			if c.chain != nil {
				b.ec.Entries = append(b.ec.Entries, protocol.ECEntry{Type: protocol.ECIDCommitChain, CommitChain: c.chain})
			} else {
				b.ec.Entries = append(b.ec.Entries, protocol.ECEntry{Type: protocol.ECIDCommitEntry, CommitEntry: c.entry})
			}
		}
		b.ec.Entries = append(b.ec.Entries, protocol.ECEntry{Type: protocol.ECIDMinute, Number: m + 1})
	}
	prevFB, prevLedger := protocol.Hash{}, protocol.Hash{}
	if prev != nil {
		b.ab.PrevBackRefHash = prev.ab.BackRefHash()
		b.ec.PrevHeaderHash = prev.ec.HeaderHash()
		b.ec.PrevFullHash = prev.ec.FullHash()
		prevFB, prevLedger = prev.fb.KeyMR(), prev.fb.LedgerKeyMR()
	}
	b.fb = protocol.NewEmptyFBlock(prevFB, prevLedger, s.rate, height)

	// Entry blocks: one per chain with reveals, entries in arrival order,
	// each minute closed by its marker.
	byChain := map[protocol.Hash][]*entryRec{}
	var order []protocol.Hash
	for _, r := range s.pendingReveals {
		id := r.entry.ChainID
		if byChain[id] == nil {
			order = append(order, id)
		}
		byChain[id] = append(byChain[id], r)
	}
	slices.SortFunc(order, func(x, y protocol.Hash) int { return bytes.Compare(x[:], y[:]) })
	for _, id := range order {
		eb := &protocol.EBlock{Header: protocol.EBlockHeader{ChainID: id, DBHeight: height}}
		if head := s.chains[id]; head != nil {
			eb.Header.PrevKeyMR = head.keyMR
			eb.Header.PrevFullHash = head.fullHash
			eb.Header.EBSequence = head.eb.Header.EBSequence + 1
		}
		rs := byChain[id]
		slices.SortStableFunc(rs, func(x, y *entryRec) int { return int(x.minute) - int(y.minute) })
		for i, r := range rs {
			if i > 0 && r.minute != rs[i-1].minute {
				eb.Body = append(eb.Body, protocol.MinuteMarker(rs[i-1].minute+1))
			}
			eb.Body = append(eb.Body, r.hash)
		}
		eb.Body = append(eb.Body, protocol.MinuteMarker(rs[len(rs)-1].minute+1))
		eb.Seal()
		b.eblocks = append(b.eblocks, &eblockRec{eb: eb, keyMR: eb.KeyMR(), fullHash: eb.FullHash(), db: b})
	}

	db := &protocol.DBlock{Header: protocol.DBlockHeader{NetworkID: s.network, Timestamp: ts, DBHeight: height}}
	if prev != nil {
		db.Header.PrevKeyMR = prev.keyMR
		db.Header.PrevFullHash = prev.fullHash
	}
	db.Entries = []protocol.DBEntry{
		{ChainID: protocol.AdminChainID, KeyMR: b.ab.LookupHash()},
		{ChainID: protocol.ECChainID, KeyMR: b.ec.HeaderHash()},
		{ChainID: protocol.FactoidChainID, KeyMR: b.fb.KeyMR()},
	}
	for _, e := range b.eblocks {
		db.Entries = append(db.Entries, protocol.DBEntry{ChainID: e.eb.Header.ChainID, KeyMR: e.keyMR})
	}
	db.Seal()
	b.db, b.keyMR, b.fullHash = db, db.KeyMR(), db.FullHash()
	return b
}

// install makes a built block part of the ledger and starts the next one.
func (s *state) install(b *dblockRec, ts uint32) {
	s.dblocks = append(s.dblocks, b)
	s.byKeyMR[b.keyMR] = b
	for _, e := range b.eblocks {
		s.eblocks[e.keyMR] = e
		id := e.eb.Header.ChainID
		if s.chains[id] == nil {
			s.chainHashes[protocol.Shad(id[:])] = true
		}
		s.chains[id] = e
	}
	byChain := make(map[protocol.Hash]*eblockRec, len(b.eblocks))
	for _, e := range b.eblocks {
		byChain[e.eb.Header.ChainID] = e
	}
	for _, r := range s.pendingReveals {
		r.eb = byChain[r.entry.ChainID]
	}
	for _, c := range s.pendingCommits {
		c.ec = b
	}
	// Unrevealed commits expire after an hour, as in factomd.
	limit := uint64(time.Unix(int64(ts)*60, 0).Add(-commitExpiry).UnixMilli())
	for eh, c := range s.commits {
		if c.milli < limit && c.ec != nil {
			delete(s.commits, eh)
		}
	}
	s.pendingCommits, s.pendingReveals = nil, nil
	clear(s.pendingChains)
}
