package protocol

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"time"
)

// Network ids, the DBlock header's NetworkID.
const (
	NetworkMain  uint32 = 0xFA92E5A2
	NetworkTest  uint32 = 0xFA92E5A3
	NetworkLocal uint32 = 0xFA92E5A4
)

// DBlockHeaderSize is the size of a directory block header.
const DBlockHeaderSize = 113

// DBlockHeader is a directory block's header.
type DBlockHeader struct {
	Version      byte
	NetworkID    uint32
	BodyMR       Hash
	PrevKeyMR    Hash
	PrevFullHash Hash
	Timestamp    uint32 // minutes since the Unix epoch
	DBHeight     uint32
	BlockCount   uint32
}

// DBEntry names one block of a directory block: a chain id and the block's
// key (KeyMR for entry and factoid blocks, header hash for the entry-credit
// block, lookup hash for the admin block).
type DBEntry struct {
	ChainID Hash `json:"chainid"`
	KeyMR   Hash `json:"keymr"`
}

// DBlock is a directory block: the admin, entry-credit and factoid blocks
// first, then entry blocks sorted by chain id.
type DBlock struct {
	Header  DBlockHeader
	Entries []DBEntry
}

// Time returns the header timestamp.
func (b *DBlock) Time() time.Time { return time.Unix(int64(b.Header.Timestamp)*60, 0).UTC() }

// Seal sorts the entry blocks after the three system blocks by chain id
// and sets BlockCount and BodyMR.
func (b *DBlock) Seal() {
	if len(b.Entries) > 3 {
		slices.SortStableFunc(b.Entries[3:], func(x, y DBEntry) int { return bytes.Compare(x.ChainID[:], y.ChainID[:]) })
	}
	b.Header.BlockCount = uint32(len(b.Entries))
	b.Header.BodyMR = MerkleRoot(b.BodyLeaves())
}

// BodyLeaves returns SHA256(chain id || key) for each entry: the body
// Merkle tree's leaves.
func (b *DBlock) BodyLeaves() []Hash {
	out := make([]Hash, len(b.Entries))
	for i, e := range b.Entries {
		out[i] = Sha(e.ChainID[:], e.KeyMR[:])
	}
	return out
}

// BranchLeaves returns chain id, key, chain id, key, ...: the leaves
// factomd builds receipts from. Their tree has the same root as
// BodyLeaves'.
func (b *DBlock) BranchLeaves() []Hash {
	out := make([]Hash, 0, 2*len(b.Entries))
	for _, e := range b.Entries {
		out = append(out, e.ChainID, e.KeyMR)
	}
	return out
}

// MarshalHeader returns the 113-byte header.
func (h *DBlockHeader) MarshalHeader() []byte {
	out := make([]byte, 0, DBlockHeaderSize)
	out = append(out, h.Version)
	out = binary.BigEndian.AppendUint32(out, h.NetworkID)
	out = append(out, h.BodyMR[:]...)
	out = append(out, h.PrevKeyMR[:]...)
	out = append(out, h.PrevFullHash[:]...)
	out = binary.BigEndian.AppendUint32(out, h.Timestamp)
	out = binary.BigEndian.AppendUint32(out, h.DBHeight)
	return binary.BigEndian.AppendUint32(out, h.BlockCount)
}

// MarshalBinary returns header || (chain id, key) pairs.
func (b *DBlock) MarshalBinary() []byte {
	out := b.Header.MarshalHeader()
	for _, e := range b.Entries {
		out = append(out, e.ChainID[:]...)
		out = append(out, e.KeyMR[:]...)
	}
	return out
}

// HeaderHash returns SHA256(header).
func (b *DBlock) HeaderHash() Hash { return Sha(b.Header.MarshalHeader()) }

// KeyMR returns SHA256(SHA256(header) || BodyMR).
func (b *DBlock) KeyMR() Hash { return MerkleParent(b.HeaderHash(), b.Header.BodyMR) }

// FullHash returns SHA256 of the whole block.
func (b *DBlock) FullHash() Hash { return Sha(b.MarshalBinary()) }

// UnmarshalDBlock parses a directory block.
func UnmarshalDBlock(raw []byte) (*DBlock, error) {
	if len(raw) < DBlockHeaderSize {
		return nil, fmt.Errorf("%w: directory block of %d bytes", ErrMalformed, len(raw))
	}
	b := &DBlock{}
	h := &b.Header
	h.Version = raw[0]
	h.NetworkID = binary.BigEndian.Uint32(raw[1:])
	copy(h.BodyMR[:], raw[5:37])
	copy(h.PrevKeyMR[:], raw[37:69])
	copy(h.PrevFullHash[:], raw[69:101])
	h.Timestamp = binary.BigEndian.Uint32(raw[101:])
	h.DBHeight = binary.BigEndian.Uint32(raw[105:])
	h.BlockCount = binary.BigEndian.Uint32(raw[109:])
	body := raw[DBlockHeaderSize:]
	if len(body) != int(h.BlockCount)*64 {
		return nil, fmt.Errorf("%w: directory block says %d blocks, has %d bytes of body", ErrMalformed, h.BlockCount, len(body))
	}
	for ; len(body) > 0; body = body[64:] {
		b.Entries = append(b.Entries, DBEntry{ChainID: Hash(body[:32]), KeyMR: Hash(body[32:64])})
	}
	return b, nil
}
