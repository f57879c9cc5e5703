package protocol

import (
	"encoding/binary"
	"fmt"
)

// EBlockHeaderSize is the size of an entry block header.
const EBlockHeaderSize = 140

// EBlockHeader is an entry block's header.
type EBlockHeader struct {
	ChainID      Hash
	BodyMR       Hash
	PrevKeyMR    Hash // zero for a chain's first entry block
	PrevFullHash Hash
	EBSequence   uint32 // 0 for a chain's first entry block
	DBHeight     uint32
	EntryCount   uint32 // entries plus minute markers
}

// EBlock is an entry block: one chain's entries in one directory block.
// Body holds entry hashes and minute markers (MinuteMarker(m) closes minute
// m's entries).
type EBlock struct {
	Header EBlockHeader
	Body   []Hash
}

// Seal sets BodyMR and EntryCount from the body.
func (b *EBlock) Seal() {
	b.Header.BodyMR = MerkleRoot(b.Body)
	b.Header.EntryCount = uint32(len(b.Body))
}

// MarshalHeader returns the 140-byte header.
func (h *EBlockHeader) MarshalHeader() []byte {
	out := make([]byte, 0, EBlockHeaderSize)
	out = append(out, h.ChainID[:]...)
	out = append(out, h.BodyMR[:]...)
	out = append(out, h.PrevKeyMR[:]...)
	out = append(out, h.PrevFullHash[:]...)
	out = binary.BigEndian.AppendUint32(out, h.EBSequence)
	out = binary.BigEndian.AppendUint32(out, h.DBHeight)
	return binary.BigEndian.AppendUint32(out, h.EntryCount)
}

// MarshalBinary returns header || body hashes.
func (b *EBlock) MarshalBinary() []byte {
	out := b.Header.MarshalHeader()
	for _, h := range b.Body {
		out = append(out, h[:]...)
	}
	return out
}

// HeaderHash returns SHA256(header).
func (b *EBlock) HeaderHash() Hash { return Sha(b.Header.MarshalHeader()) }

// KeyMR returns SHA256(SHA256(header) || BodyMR), the block's key.
func (b *EBlock) KeyMR() Hash {
	hh := b.HeaderHash()
	return MerkleParent(hh, b.Header.BodyMR)
}

// FullHash returns SHA256 of the whole block (the next block's
// PrevFullHash).
func (b *EBlock) FullHash() Hash { return Sha(b.MarshalBinary()) }

// EntryHashes returns the body without minute markers.
func (b *EBlock) EntryHashes() []Hash {
	var out []Hash
	for _, h := range b.Body {
		if _, ok := IsMinuteMarker(h); !ok {
			out = append(out, h)
		}
	}
	return out
}

// UnmarshalEBlock parses an entry block.
func UnmarshalEBlock(raw []byte) (*EBlock, error) {
	if len(raw) < EBlockHeaderSize || (len(raw)-EBlockHeaderSize)%32 != 0 {
		return nil, fmt.Errorf("%w: entry block of %d bytes", ErrMalformed, len(raw))
	}
	b := &EBlock{}
	h := &b.Header
	copy(h.ChainID[:], raw[0:32])
	copy(h.BodyMR[:], raw[32:64])
	copy(h.PrevKeyMR[:], raw[64:96])
	copy(h.PrevFullHash[:], raw[96:128])
	h.EBSequence = binary.BigEndian.Uint32(raw[128:])
	h.DBHeight = binary.BigEndian.Uint32(raw[132:])
	h.EntryCount = binary.BigEndian.Uint32(raw[136:])
	for p := raw[EBlockHeaderSize:]; len(p) > 0; p = p[32:] {
		b.Body = append(b.Body, Hash(p[:32]))
	}
	if int(h.EntryCount) != len(b.Body) {
		return nil, fmt.Errorf("%w: entry block says %d entries, holds %d", ErrMalformed, h.EntryCount, len(b.Body))
	}
	return b, nil
}
