package golden

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom/client"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

// Check recomputes every captured value with the protocol package and
// returns every mismatch (nil when all agree).
func Check(v *Vectors) error {
	c := &checker{v: v, eblocks: map[protocol.Hash]*protocol.EBlock{}, dblocks: map[protocol.Hash]*protocol.DBlock{}}
	c.keys()
	c.funding()
	c.write("chain", v.Chain, true)
	for i, w := range v.Entries {
		c.write(fmt.Sprintf("entry %d", i), w, false)
	}
	c.blocks()
	c.entryBlocks()
	c.receipts()
	c.acks()
	return errors.Join(c.errs...)
}

type checker struct {
	v       *Vectors
	errs    []error
	key     protocol.ECKey
	eblocks map[protocol.Hash]*protocol.EBlock
	dblocks map[protocol.Hash]*protocol.DBlock
}

func (c *checker) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
}

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil
	}
	return b
}

func (c *checker) keys() {
	k, err := protocol.ParseECSecret(c.v.ECSecret)
	if err != nil {
		c.fail("EC secret: %v", err)
		return
	}
	c.key = k
	if got := k.Public().String(); got != c.v.ECAddress {
		c.fail("EC address of %s: computed %s, factomd session used %s", c.v.ECSecret, got, c.v.ECAddress)
	}
	if k.Secret() != c.v.ECSecret {
		c.fail("EC secret does not round-trip: %s", k.Secret())
	}
}

func (c *checker) funding() {
	f := c.v.Funding
	fk, err := protocol.ParseFactoidSecret(f.FactoidSecret)
	if err != nil {
		c.fail("factoid secret: %v", err)
		return
	}
	raw := unhex(f.TxRaw)
	tx, rest, err := protocol.ReadTransaction(raw)
	if err != nil || len(rest) != 0 {
		c.fail("funding transaction does not parse: %v (%d bytes left)", err, len(rest))
		return
	}
	if !bytes.Equal(tx.MarshalBinary(), raw) {
		c.fail("funding transaction does not re-marshal to its bytes")
	}
	again := protocol.BuyEntryCredits(fk, c.key.Public(), f.Credits, uint64(c.v.ECRate), time.UnixMilli(int64(tx.MilliTime)))
	if !bytes.Equal(again.MarshalBinary(), raw) {
		c.fail("BuyEntryCredits composes\n%x\nfactomd accepted\n%x", again.MarshalBinary(), raw)
	}
	var ans protocol.FactoidSubmitResponse
	if json.Unmarshal(f.Answer, &ans) != nil || ans.TxID != tx.TxID().String() {
		c.fail("factoid-submit answered txid %q; computed %s", ans.TxID, tx.TxID())
	}
}

func (c *checker) write(name string, w Write, chain bool) {
	cid, err := protocol.ParseHash(w.ChainID)
	if err != nil {
		c.fail("%s: %v", name, err)
		return
	}
	e := &protocol.Entry{ChainID: cid, Content: unhex(w.Content)}
	for _, x := range w.ExtIDs {
		e.ExtIDs = append(e.ExtIDs, unhex(x))
	}
	if chain && protocol.ChainIDOf(e.ExtIDs...) != cid {
		c.fail("%s: chain id of the ExtIDs is %s; factomd's is %s", name, protocol.ChainIDOf(e.ExtIDs...), cid)
	}
	raw, err := e.MarshalBinary()
	if err != nil || !bytes.Equal(raw, unhex(w.EntryRaw)) {
		c.fail("%s: entry binary differs (%v):\n got %x\nwant %s", name, err, raw, w.EntryRaw)
	}
	if back, err := protocol.UnmarshalEntry(unhex(w.EntryRaw)); err != nil || back.Hash().String() != w.EntryHash {
		c.fail("%s: the captured entry binary does not parse back (%v)", name, err)
	}
	eh := e.Hash()
	if eh.String() != w.EntryHash {
		c.fail("%s: entry hash %s; factomd's %s", name, eh, w.EntryHash)
	}
	msg := unhex(w.Commit)
	var ans protocol.CommitResponse
	_ = json.Unmarshal(w.CommitAnswer, &ans)
	if chain {
		cc, err := protocol.UnmarshalCommitChain(msg)
		if err != nil {
			c.fail("%s: commit: %v", name, err)
			return
		}
		if err := cc.Verify(); err != nil {
			c.fail("%s: commit: %v", name, err)
		}
		again, _ := protocol.NewCommitChain(e, c.key, cc.Time())
		if again == nil || !bytes.Equal(again.MarshalBinary(), msg) {
			c.fail("%s: NewCommitChain composes a different message", name)
		}
		if ans.TxID != cc.TxID().String() || ans.EntryHash != w.EntryHash || ans.ChainIDHash != protocol.Shad(cid[:]).String() {
			c.fail("%s: commit-chain answered %+v; computed txid %s chainidhash %s", name, ans, cc.TxID(), protocol.Shad(cid[:]))
		}
	} else {
		ce, err := protocol.UnmarshalCommitEntry(msg)
		if err != nil {
			c.fail("%s: commit: %v", name, err)
			return
		}
		if err := ce.Verify(); err != nil {
			c.fail("%s: commit: %v", name, err)
		}
		again, _ := protocol.NewCommitEntry(e, c.key, ce.Time())
		if again == nil || !bytes.Equal(again.MarshalBinary(), msg) {
			c.fail("%s: NewCommitEntry composes a different message", name)
		}
		if ans.TxID != ce.TxID().String() || ans.EntryHash != w.EntryHash {
			c.fail("%s: commit-entry answered %+v; computed txid %s", name, ans, ce.TxID())
		}
	}
	var rev protocol.RevealResponse
	if json.Unmarshal(w.RevealAnswer, &rev) != nil || rev.EntryHash != w.EntryHash || rev.ChainID != w.ChainID {
		c.fail("%s: reveal answered %s", name, w.RevealAnswer)
	}
	var er protocol.EntryResponse
	if json.Unmarshal(w.EntryAnswer, &er) == nil {
		if got, err := client.DecodeEntry(er); err != nil || got.Hash() != eh {
			c.fail("%s: the entry answer decodes to another entry (%v)", name, err)
		}
	}
}

func (c *checker) blocks() {
	var prev *protocol.DBlock
	var prevA, prevEC, prevF []byte
	for _, b := range c.v.Blocks {
		raw := unhex(b.DBlock)
		db, err := protocol.UnmarshalDBlock(raw)
		if err != nil {
			c.fail("dblock %d: %v", b.Height, err)
			continue
		}
		c.dblocks[db.KeyMR()] = db
		if db.KeyMR().String() != b.KeyMR {
			c.fail("dblock %d: KeyMR %s; factomd's %s", b.Height, db.KeyMR(), b.KeyMR)
		}
		if !bytes.Equal(db.MarshalBinary(), raw) {
			c.fail("dblock %d: does not re-marshal to its bytes", b.Height)
		}
		if mr := protocol.MerkleRoot(db.BodyLeaves()); mr != db.Header.BodyMR {
			c.fail("dblock %d: BodyMR %s; computed %s", b.Height, db.Header.BodyMR, mr)
		}
		if mr := protocol.MerkleRoot(db.BranchLeaves()); mr != db.Header.BodyMR {
			c.fail("dblock %d: the receipt leaves give root %s, not BodyMR", b.Height, mr)
		}
		sorted := *db
		sorted.Entries = append([]protocol.DBEntry(nil), db.Entries...)
		sorted.Seal()
		if sorted.KeyMR() != db.KeyMR() {
			c.fail("dblock %d: Seal reorders the entry blocks", b.Height)
		}
		if db.Header.NetworkID != c.v.NetworkID {
			c.fail("dblock %d: network id %x", b.Height, db.Header.NetworkID)
		}
		var ans protocol.DBlockJSON
		if json.Unmarshal(b.Answer, &ans) == nil && (ans.KeyMR != b.KeyMR || ans.DBHash != db.FullHash().String() || ans.HeaderHash != db.HeaderHash().String()) {
			c.fail("dblock %d: answer keymr %s dbhash %s headerhash %s; computed %s %s %s", b.Height, ans.KeyMR, ans.DBHash, ans.HeaderHash, db.KeyMR(), db.FullHash(), db.HeaderHash())
		}
		if prev != nil && (db.Header.PrevKeyMR != prev.KeyMR() || db.Header.PrevFullHash != prev.FullHash()) {
			c.fail("dblock %d: does not link to block %d", b.Height, b.Height-1)
		}
		if len(db.Entries) < 3 {
			c.fail("dblock %d: %d entries", b.Height, len(db.Entries))
			continue
		}
		a, ec, f := unhex(b.ABlock), unhex(b.ECBlock), unhex(b.FBlock)
		c.adminBlock(b.Height, a, prevA, db.Entries[0])
		c.ecBlock(b.Height, ec, prevEC, db.Entries[1])
		c.factoidBlock(b.Height, f, prevF, db.Entries[2])
		prev, prevA, prevEC, prevF = db, a, ec, f
	}
}

func (c *checker) adminBlock(h uint32, raw, prev []byte, e protocol.DBEntry) {
	ab, err := protocol.UnmarshalABlock(raw)
	switch {
	case err != nil:
		c.fail("ablock %d: %v", h, err)
	case e.ChainID != protocol.AdminChainID || ab.LookupHash() != e.KeyMR:
		c.fail("ablock %d: lookup hash %s; the dblock names %s", h, ab.LookupHash(), e.KeyMR)
	case !bytes.Equal(ab.MarshalBinary(), raw):
		c.fail("ablock %d: does not re-marshal", h)
	case prev != nil && ab.PrevBackRefHash != protocol.Sha512Half(prev):
		c.fail("ablock %d: back reference %s; computed %s", h, ab.PrevBackRefHash, protocol.Sha512Half(prev))
	}
}

func (c *checker) ecBlock(h uint32, raw, prev []byte, e protocol.DBEntry) {
	eb, err := protocol.UnmarshalECBlock(raw)
	if err != nil {
		c.fail("ecblock %d: %v", h, err)
		return
	}
	if e.ChainID != protocol.ECChainID || eb.HeaderHash() != e.KeyMR {
		c.fail("ecblock %d: header hash %s; the dblock names %s", h, eb.HeaderHash(), e.KeyMR)
	}
	if !bytes.Equal(eb.MarshalBinary(), raw) {
		c.fail("ecblock %d: does not re-marshal", h)
	}
	if prev != nil {
		p, err := protocol.UnmarshalECBlock(prev)
		if err == nil && (eb.PrevHeaderHash != p.HeaderHash() || eb.PrevFullHash != p.FullHash()) {
			c.fail("ecblock %d: does not link to the previous one", h)
		}
	}
	for _, x := range eb.Entries {
		switch {
		case x.CommitChain != nil && x.CommitChain.Verify() != nil:
			c.fail("ecblock %d: a chain commit does not verify", h)
		case x.CommitEntry != nil && x.CommitEntry.Verify() != nil:
			c.fail("ecblock %d: an entry commit does not verify", h)
		}
	}
}

func (c *checker) factoidBlock(h uint32, raw, prev []byte, e protocol.DBEntry) {
	fb, err := protocol.UnmarshalFBlock(raw)
	if err != nil {
		c.fail("fblock %d: %v", h, err)
		return
	}
	if e.ChainID != protocol.FactoidChainID || fb.KeyMR() != e.KeyMR {
		c.fail("fblock %d: KeyMR %s; the dblock names %s", h, fb.KeyMR(), e.KeyMR)
	}
	if !bytes.Equal(fb.MarshalBinary(), raw) {
		c.fail("fblock %d: does not re-marshal", h)
	}
	if prev != nil {
		p, err := protocol.UnmarshalFBlock(prev)
		if err == nil && (fb.PrevKeyMR != p.KeyMR() || fb.PrevLedgerKeyMR != p.LedgerKeyMR()) {
			c.fail("fblock %d: PrevKeyMR %s PrevLedgerKeyMR %s; computed %s %s", h, fb.PrevKeyMR, fb.PrevLedgerKeyMR, p.KeyMR(), p.LedgerKeyMR())
		}
	}
}

func (c *checker) entryBlocks() {
	for _, x := range c.v.EBlocks {
		raw := unhex(x.Raw)
		eb, err := protocol.UnmarshalEBlock(raw)
		if err != nil {
			c.fail("eblock %s: %v", x.KeyMR, err)
			continue
		}
		c.eblocks[eb.KeyMR()] = eb
		if eb.KeyMR().String() != x.KeyMR {
			c.fail("eblock: KeyMR %s; factomd's %s", eb.KeyMR(), x.KeyMR)
		}
		if !bytes.Equal(eb.MarshalBinary(), raw) {
			c.fail("eblock %s: does not re-marshal", x.KeyMR)
		}
		if protocol.MerkleRoot(eb.Body) != eb.Header.BodyMR {
			c.fail("eblock %s: BodyMR differs", x.KeyMR)
		}
		var ans protocol.EntryBlockResponse
		if json.Unmarshal(x.Answer, &ans) == nil {
			hs := eb.EntryHashes()
			if len(ans.EntryList) != len(hs) {
				c.fail("eblock %s: answer lists %d entries; the block has %d", x.KeyMR, len(ans.EntryList), len(hs))
			}
			for i := range min(len(hs), len(ans.EntryList)) {
				if ans.EntryList[i].EntryHash != hs[i].String() {
					c.fail("eblock %s: entry %d differs", x.KeyMR, i)
				}
			}
		}
		found := false
		for _, db := range c.dblocks {
			for _, e := range db.Entries {
				if e.KeyMR == eb.KeyMR() && e.ChainID == eb.Header.ChainID && db.Header.DBHeight == eb.Header.DBHeight {
					found = true
				}
			}
		}
		if !found {
			c.fail("eblock %s: no directory block at height %d names it", x.KeyMR, eb.Header.DBHeight)
		}
	}
}

func (c *checker) receipts() {
	if len(c.v.Receipts) == 0 {
		c.fail("no receipts captured")
	}
	for _, r := range c.v.Receipts {
		var ans protocol.ReceiptResponse
		if err := json.Unmarshal(r.Answer, &ans); err != nil || ans.Receipt == nil {
			c.fail("receipt %s: %v", r.EntryHash, err)
			continue
		}
		eh, _ := protocol.ParseHash(r.EntryHash)
		cid, err := ans.Receipt.Verify(eh)
		if err != nil {
			c.fail("receipt %s: %v", r.EntryHash, err)
			continue
		}
		if cid.String() != c.v.Chain.ChainID {
			c.fail("receipt %s proves chain %s", r.EntryHash, cid)
		}
		eb, db := c.eblocks[*ans.Receipt.EntryBlockKeyMR], c.dblocks[*ans.Receipt.DirectoryBlockKeyMR]
		if eb == nil || db == nil {
			c.fail("receipt %s: its blocks were not captured", r.EntryHash)
			continue
		}
		built, err := protocol.BuildReceipt(eh, eb, db)
		if err != nil {
			c.fail("receipt %s: %v", r.EntryHash, err)
			continue
		}
		want, _ := json.Marshal(ans.Receipt)
		got, _ := json.Marshal(built)
		if !bytes.Equal(want, got) {
			c.fail("receipt %s: BuildReceipt gives\n%s\nfactomd gave\n%s", r.EntryHash, got, want)
		}
		// A forged branch must not verify.
		forged := *ans.Receipt
		forged.MerkleBranch = append([]protocol.MerkleNode(nil), ans.Receipt.MerkleBranch...)
		bad := protocol.Hash{1}
		forged.MerkleBranch[0].Right = &bad
		if _, err := forged.Verify(eh); err == nil {
			c.fail("receipt %s: a forged branch verifies", r.EntryHash)
		}
	}
}

func (c *checker) acks() {
	seen := map[string]bool{}
	for _, a := range c.v.Acks {
		var st protocol.EntryStatus
		if err := json.Unmarshal(a.Answer, &st); err != nil {
			c.fail("ack %s: %v", a.Hash, err)
			continue
		}
		seen[st.EntryData.Status] = true
	}
	if !seen[protocol.AckDBlockConfirmed] {
		c.fail("no DBlockConfirmed ack captured")
	}
}
