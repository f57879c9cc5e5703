package protocol

import (
	"encoding/binary"
	"fmt"
)

// Entry-credit block entry types (the ECID byte before each entry).
const (
	ECIDServerIndex     byte = 0
	ECIDMinute          byte = 1
	ECIDCommitChain     byte = 2
	ECIDCommitEntry     byte = 3
	ECIDIncreaseBalance byte = 4
)

// ECEntry is one entry of an entry-credit block: exactly one field is set
// by type.
type ECEntry struct {
	Type        byte
	Number      byte         // ServerIndex and Minute
	CommitChain *CommitChain // ECIDCommitChain
	CommitEntry *CommitEntry // ECIDCommitEntry
	Increase    *IncreaseBalance
}

// IncreaseBalance credits an EC key from a factoid transaction's EC
// output.
type IncreaseBalance struct {
	ECPubKey ECPublic
	TxID     Hash
	Index    uint64
	NumEC    uint64
}

// ECBlock is an entry-credit block: the commits (payments) of one
// directory block, with server index and minute markers.
type ECBlock struct {
	PrevHeaderHash Hash
	PrevFullHash   Hash
	DBHeight       uint32
	Entries        []ECEntry
}

func (b *ECBlock) body() []byte {
	var out []byte
	for _, e := range b.Entries {
		out = append(out, e.Type)
		switch e.Type {
		case ECIDServerIndex, ECIDMinute:
			out = append(out, e.Number)
		case ECIDCommitChain:
			out = append(out, e.CommitChain.MarshalBinary()...)
		case ECIDCommitEntry:
			out = append(out, e.CommitEntry.MarshalBinary()...)
		case ECIDIncreaseBalance:
			ib := e.Increase
			out = append(out, ib.ECPubKey[:]...)
			out = append(out, ib.TxID[:]...)
			out = AppendVarInt(out, ib.Index)
			out = AppendVarInt(out, ib.NumEC)
		}
	}
	return out
}

// MarshalHeader returns the header: EC chain id | body hash | previous
// header hash | previous full hash | height | expansion (empty) | object
// count | body size.
func (b *ECBlock) MarshalHeader() []byte {
	return b.header(b.body())
}

func (b *ECBlock) header(body []byte) []byte {
	bh := Sha(body)
	out := make([]byte, 0, 150)
	out = append(out, ECChainID[:]...)
	out = append(out, bh[:]...)
	out = append(out, b.PrevHeaderHash[:]...)
	out = append(out, b.PrevFullHash[:]...)
	out = binary.BigEndian.AppendUint32(out, b.DBHeight)
	out = AppendVarInt(out, 0)
	out = binary.BigEndian.AppendUint64(out, uint64(len(b.Entries)))
	return binary.BigEndian.AppendUint64(out, uint64(len(body)))
}

// MarshalBinary returns header || body.
func (b *ECBlock) MarshalBinary() []byte {
	body := b.body()
	return append(b.header(body), body...)
}

// HeaderHash returns SHA256(header): the block's key in a directory block.
func (b *ECBlock) HeaderHash() Hash { return Sha(b.MarshalHeader()) }

// FullHash returns SHA256 of the whole block.
func (b *ECBlock) FullHash() Hash { return Sha(b.MarshalBinary()) }

// ECBlockHeaderHash returns SHA256 of the header of a raw entry-credit
// block, without parsing its body.
func ECBlockHeaderHash(raw []byte) (Hash, error) {
	n, err := ecHeaderLen(raw)
	if err != nil {
		return Hash{}, err
	}
	return Sha(raw[:n]), nil
}

func ecHeaderLen(raw []byte) (int, error) {
	const fixed = 32*4 + 4
	if len(raw) < fixed+1 {
		return 0, fmt.Errorf("%w: entry-credit block of %d bytes", ErrMalformed, len(raw))
	}
	x, rest, err := ReadVarInt(raw[fixed:])
	if err != nil {
		return 0, err
	}
	if uint64(len(rest)) < x+16 {
		return 0, fmt.Errorf("%w: truncated entry-credit block header", ErrMalformed)
	}
	return len(raw) - len(rest) + int(x) + 16, nil
}

// UnmarshalECBlock parses an entry-credit block.
func UnmarshalECBlock(raw []byte) (*ECBlock, error) {
	n, err := ecHeaderLen(raw)
	if err != nil {
		return nil, err
	}
	if !ECChainID.equal(raw[:32]) {
		return nil, fmt.Errorf("%w: not an entry-credit block", ErrMalformed)
	}
	b := &ECBlock{DBHeight: binary.BigEndian.Uint32(raw[128:])}
	copy(b.PrevHeaderHash[:], raw[64:96])
	copy(b.PrevFullHash[:], raw[96:128])
	count := binary.BigEndian.Uint64(raw[n-16:])
	size := binary.BigEndian.Uint64(raw[n-8:])
	body := raw[n:]
	if uint64(len(body)) != size {
		return nil, fmt.Errorf("%w: entry-credit body is %d bytes; header says %d", ErrMalformed, len(body), size)
	}
	for len(body) > 0 {
		e := ECEntry{Type: body[0]}
		body = body[1:]
		switch e.Type {
		case ECIDServerIndex, ECIDMinute:
			if len(body) < 1 {
				return nil, fmt.Errorf("%w: truncated entry-credit entry", ErrMalformed)
			}
			e.Number, body = body[0], body[1:]
		case ECIDCommitChain:
			if e.CommitChain, err = UnmarshalCommitChain(body); err != nil {
				return nil, err
			}
			body = body[CommitChainSize:]
		case ECIDCommitEntry:
			if e.CommitEntry, err = UnmarshalCommitEntry(body); err != nil {
				return nil, err
			}
			body = body[CommitEntrySize:]
		case ECIDIncreaseBalance:
			if len(body) < 64 {
				return nil, fmt.Errorf("%w: truncated balance increase", ErrMalformed)
			}
			ib := &IncreaseBalance{}
			copy(ib.ECPubKey[:], body[:32])
			copy(ib.TxID[:], body[32:64])
			if ib.Index, body, err = ReadVarInt(body[64:]); err != nil {
				return nil, err
			}
			if ib.NumEC, body, err = ReadVarInt(body); err != nil {
				return nil, err
			}
			e.Increase = ib
		default:
			return nil, fmt.Errorf("%w: entry-credit entry type %d", ErrMalformed, e.Type)
		}
		b.Entries = append(b.Entries, e)
	}
	if uint64(len(b.Entries)) != count {
		return nil, fmt.Errorf("%w: entry-credit block says %d entries, holds %d", ErrMalformed, count, len(b.Entries))
	}
	return b, nil
}

func (h Hash) equal(b []byte) bool { return len(b) == 32 && Hash(b) == h }
