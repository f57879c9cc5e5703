package protocol

import (
	"errors"
	"fmt"
)

// ErrBadReceipt reports a receipt whose Merkle branch does not lead from
// its entry to its directory block.
var ErrBadReceipt = errors.New("factom: receipt does not verify")

// Receipt is factomd's proof that an entry is in a directory block: the
// Merkle branch from the entry hash through its entry block's KeyMR to the
// directory block's KeyMR. Its JSON form is factomd's.
type Receipt struct {
	Entry                ReceiptEntry `json:"entry"`
	MerkleBranch         []MerkleNode `json:"merklebranch,omitempty"`
	EntryBlockKeyMR      *Hash        `json:"entryblockkeymr,omitempty"`
	DirectoryBlockKeyMR  *Hash        `json:"directoryblockkeymr,omitempty"`
	DirectoryBlockHeight uint32       `json:"directoryblockheight,omitempty"`
}

// ReceiptEntry names the entry a receipt proves.
type ReceiptEntry struct {
	Raw       string `json:"raw,omitempty"`
	EntryHash string `json:"entryhash,omitempty"`
	Timestamp int64  `json:"timestamp,omitempty"` // seconds
}

// BuildReceipt returns the receipt of the entry with hash eh in entry block
// eb, itself in directory block db (both sealed).
func BuildReceipt(eh Hash, eb *EBlock, db *DBlock) (*Receipt, error) {
	idx := -1
	for i, h := range eb.Body {
		if h == eh {
			idx = i
			break
		}
	}
	if idx < 0 {
		return nil, fmt.Errorf("entry %s is not in entry block %s", eh, eb.KeyMR())
	}
	ebKey := eb.KeyMR()
	branch := MerkleBranch(eb.Body, idx)
	hh, bmr := eb.HeaderHash(), eb.Header.BodyMR
	branch = append(branch, MerkleNode{Left: &hh, Right: &bmr, Top: &ebKey})

	leaves := db.BranchLeaves()
	pos := -1
	for i := 1; i < len(leaves); i += 2 {
		if leaves[i] == ebKey && leaves[i-1] == eb.Header.ChainID {
			pos = i
			break
		}
	}
	if pos < 0 {
		return nil, fmt.Errorf("entry block %s is not in directory block %d", ebKey, db.Header.DBHeight)
	}
	branch = append(branch, MerkleBranch(leaves, pos)...)
	dbKey := db.KeyMR()
	dh, dmr := db.HeaderHash(), db.Header.BodyMR
	branch = append(branch, MerkleNode{Left: &dh, Right: &dmr, Top: &dbKey})

	r := &Receipt{
		Entry:                ReceiptEntry{EntryHash: eh.String()},
		MerkleBranch:         branch,
		EntryBlockKeyMR:      &ebKey,
		DirectoryBlockKeyMR:  &dbKey,
		DirectoryBlockHeight: db.Header.DBHeight,
	}
	// Like factomd: the entry's time is the directory block's plus the
	// minute that closes it.
	for _, h := range eb.Body[idx:] {
		if m, ok := IsMinuteMarker(h); ok {
			r.Entry.Timestamp = int64(db.Header.Timestamp)*60 + 60*int64(m)
			break
		}
	}
	return r, nil
}

// Verify checks that the branch leads from entryHash through
// EntryBlockKeyMR to DirectoryBlockKeyMR, recomputing every step. Each node
// must contain the running hash on one side (or leave that side out) and
// any Top it gives must match. It returns the chain id the branch proves
// the entry block belongs to.
func (r *Receipt) Verify(entryHash Hash) (chainID Hash, err error) {
	if r == nil || r.EntryBlockKeyMR == nil || r.DirectoryBlockKeyMR == nil || len(r.MerkleBranch) == 0 {
		return Hash{}, fmt.Errorf("%w: incomplete receipt", ErrBadReceipt)
	}
	if r.Entry.EntryHash != "" && r.Entry.EntryHash != entryHash.String() {
		return Hash{}, fmt.Errorf("%w: receipt is for entry %s, not %s", ErrBadReceipt, r.Entry.EntryHash, entryHash)
	}
	cur := entryHash
	ebFound, ebStep := false, -1
	for i, n := range r.MerkleBranch {
		var l, rt Hash
		switch {
		case n.Left == nil && n.Right == nil:
			return Hash{}, fmt.Errorf("%w: node %d has no children", ErrBadReceipt, i)
		case n.Left == nil:
			l, rt = cur, *n.Right
		case n.Right == nil:
			l, rt = *n.Left, cur
		default:
			l, rt = *n.Left, *n.Right
			if l != cur && rt != cur {
				return Hash{}, fmt.Errorf("%w: node %d does not contain %s", ErrBadReceipt, i, cur)
			}
		}
		if i == ebStep+1 && ebStep >= 0 && rt == cur {
			chainID = l // first step above the entry block: its chain id is the left sibling
		}
		top := MerkleParent(l, rt)
		if n.Top != nil && *n.Top != top {
			return Hash{}, fmt.Errorf("%w: node %d top is %s, computed %s", ErrBadReceipt, i, *n.Top, top)
		}
		cur = top
		if !ebFound && cur == *r.EntryBlockKeyMR {
			ebFound, ebStep = true, i
		}
	}
	if !ebFound {
		return Hash{}, fmt.Errorf("%w: the branch never reaches entry block %s", ErrBadReceipt, *r.EntryBlockKeyMR)
	}
	if cur != *r.DirectoryBlockKeyMR {
		return Hash{}, fmt.Errorf("%w: the branch ends at %s, not directory block %s", ErrBadReceipt, cur, *r.DirectoryBlockKeyMR)
	}
	return chainID, nil
}
