package factom

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
	"github.com/ledgergate/ledgergate/schema"
)

// merkleScheme names the anchoring tree: leaves SHA256(0x00 || digest),
// nodes SHA256(0x01 || left || right), an odd last node paired with
// itself. The prefixes keep a leaf from passing for a node.
const merkleScheme = "sha256/leaf=00|digest/node=01|left|right/odd=dup"

// MaxAnchor is the most digests one Anchor call takes.
const MaxAnchor = 1 << 22

func leafHash(d []byte) [32]byte {
	var b [33]byte
	copy(b[1:], d)
	return sha256.Sum256(b[:])
}

func nodeHash(l, r [32]byte) [32]byte {
	var b [65]byte
	b[0] = 1
	copy(b[1:33], l[:])
	copy(b[33:], r[:])
	return sha256.Sum256(b[:])
}

// merkleTree returns every level of the tree over leaves, leaves first,
// the root last.
func merkleTree(leaves [][32]byte) [][][32]byte {
	levels := [][][32]byte{leaves}
	for cur := leaves; len(cur) > 1; {
		next := make([][32]byte, (len(cur)+1)/2)
		for i := range next {
			l := cur[2*i]
			r := l
			if 2*i+1 < len(cur) {
				r = cur[2*i+1]
			}
			next[i] = nodeHash(l, r)
		}
		levels = append(levels, next)
		cur = next
	}
	return levels
}

// Anchor implements adapters.Anchorer: it writes one entry, in the
// namespace's anchor chain, whose ExtIDs carry the Merkle root of the
// digests and their count, and returns an inclusion proof per digest.
// Proofs verify offline with VerifyInclusion; the anchor entry verifies
// like any Factom entry (VerifyAnchor, or its Merkle receipt).
func (a *Adapter) Anchor(ctx context.Context, digests []schema.Digest) (adapters.AnchorReceipt, []adapters.InclusionProof, error) {
	if err := a.checkOpen(); err != nil {
		return adapters.AnchorReceipt{}, nil, err
	}
	if len(digests) == 0 || len(digests) > MaxAnchor {
		return adapters.AnchorReceipt{}, nil, adapters.Reject(adapters.ReasonInvalid, fmt.Sprintf("anchor takes 1 to %d digests, not %d", MaxAnchor, len(digests)), nil)
	}
	leaves := make([][32]byte, len(digests))
	for i, d := range digests {
		b := d.Bytes()
		if b == nil {
			return adapters.AnchorReceipt{}, nil, adapters.Reject(adapters.ReasonInvalid, fmt.Sprintf("digest %d (%q) is malformed", i, d), nil)
		}
		leaves[i] = leafHash(b)
	}
	levels := merkleTree(leaves)
	root := levels[len(levels)-1][0]
	rootHex := hex.EncodeToString(root[:])

	first := AnchorChainFor(a.ns)
	e := &protocol.Entry{ChainID: first.ChainID, ExtIDs: [][]byte{
		[]byte(markerAnchor), []byte(rootHex), []byte(strconv.Itoa(len(digests))), []byte(merkleScheme),
	}}
	if err := a.ensureChain(ctx, first); err != nil {
		return adapters.AnchorReceipt{}, nil, err
	}
	if err := a.put(ctx, e, protocol.AckDBlockConfirmed); err != nil {
		return adapters.AnchorReceipt{}, nil, err
	}
	rc, err := a.entryReceipt(ctx, e)
	if err != nil {
		return adapters.AnchorReceipt{}, nil, fmt.Errorf("factom: anchor entry %s is on the ledger: %w", e.Hash(), stripUnavailable(err))
	}
	rc.Digest = schema.Digest("sha256:" + rootHex)
	proofs := make([]adapters.InclusionProof, len(digests))
	for i := range digests {
		proofs[i] = adapters.InclusionProof{Digest: digests[i], Index: i, Root: rootHex, Path: path(levels, i)}
	}
	return adapters.AnchorReceipt{Root: rootHex, Count: len(digests), Receipt: rc}, proofs, nil
}

// path returns the sibling hashes of leaf i, bottom up.
func path(levels [][][32]byte, i int) []string {
	out := make([]string, 0, len(levels)-1)
	for _, lv := range levels[:len(levels)-1] {
		j := i ^ 1
		if j >= len(lv) {
			j = i // an odd last node pairs with itself
		}
		out = append(out, hex.EncodeToString(lv[j][:]))
		i /= 2
	}
	return out
}

// VerifyInclusion checks offline that proof.Digest is leaf proof.Index of
// the tree whose root is proof.Root.
func VerifyInclusion(proof adapters.InclusionProof) error {
	d := proof.Digest.Bytes()
	if d == nil {
		return fmt.Errorf("factom: inclusion proof: malformed digest %q", proof.Digest)
	}
	if proof.Index < 0 || (len(proof.Path) < 63 && proof.Index>>len(proof.Path) != 0) {
		return fmt.Errorf("factom: inclusion proof: index %d does not fit a path of %d steps", proof.Index, len(proof.Path))
	}
	cur := leafHash(d)
	i := proof.Index
	for k, s := range proof.Path {
		var sib [32]byte
		if n, err := hex.Decode(sib[:], []byte(s)); err != nil || n != 32 || len(s) != 64 {
			return fmt.Errorf("factom: inclusion proof: step %d is not a hash", k)
		}
		if i%2 == 0 {
			cur = nodeHash(cur, sib)
		} else {
			cur = nodeHash(sib, cur)
		}
		i /= 2
	}
	if got := hex.EncodeToString(cur[:]); got != proof.Root {
		return fmt.Errorf("factom: inclusion proof: digest %s at %d leads to root %s, not %s", proof.Digest, proof.Index, got, proof.Root)
	}
	return nil
}

// entryReceipt builds the receipt of a confirmed entry that is not a
// record (an anchor).
func (a *Adapter) entryReceipt(ctx context.Context, e *protocol.Entry) (adapters.Receipt, error) {
	eh := e.Hash()
	fr, err := a.c.Receipt(ctx, eh)
	if err != nil {
		return adapters.Receipt{}, err
	}
	eb, err := a.c.EntryBlock(ctx, *fr.EntryBlockKeyMR)
	if err != nil {
		return adapters.Receipt{}, err
	}
	idx := 0
	for i, x := range eb.EntryList {
		if x.EntryHash == eh.String() {
			idx = i
		}
	}
	v := &version{entryHash: eh, chainID: e.ChainID, height: fr.DirectoryBlockHeight, dbKeyMR: *fr.DirectoryBlockKeyMR, index: idx, proof: fr}
	v.id, v.disclosure = "", adapters.DisclosureDigest
	if fr.Entry.Timestamp > 0 {
		v.time = protocol.AckTime(fr.Entry.Timestamp)
	}
	return a.receiptOf(ctx, v)
}

// VerifyAnchor checks an anchor receipt against the ledger: the entry
// exists, its Merkle receipt leads to the directory block the receipt
// names, and its ExtIDs carry the root and count.
func (a *Adapter) VerifyAnchor(ctx context.Context, ar adapters.AnchorReceipt) error {
	if err := VerifyProof(ar.Receipt); err != nil {
		return err
	}
	eh, err := protocol.ParseHash(ar.Receipt.TxID)
	if err != nil {
		return err
	}
	if _, err := a.c.Receipt(ctx, eh); err != nil {
		return fmt.Errorf("factom: anchor entry %s: %w", eh, unavailable(err))
	}
	db, err := a.c.DBlockByHeight(ctx, int64(ar.Receipt.Block), false)
	if err != nil {
		return fmt.Errorf("factom: %w", unavailable(err))
	}
	if db.DBlock.KeyMR != ar.Receipt.BlockHash {
		return fmt.Errorf("factom: directory block %d is %s, not %s", ar.Receipt.Block, db.DBlock.KeyMR, ar.Receipt.BlockHash)
	}
	e, err := a.c.Entry(ctx, eh)
	if err != nil {
		return fmt.Errorf("factom: %w", unavailable(err))
	}
	x := e.ExtIDs
	if len(x) != 4 || string(x[0]) != markerAnchor || string(x[1]) != ar.Root || string(x[2]) != strconv.Itoa(ar.Count) {
		return fmt.Errorf("factom: entry %s does not anchor root %s of %d digests", eh, ar.Root, ar.Count)
	}
	return nil
}
