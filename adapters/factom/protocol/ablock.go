package protocol

import (
	"encoding/binary"
	"fmt"
)

// ABlock is an admin block. The embedded node writes admin blocks without
// entries (it has no federated servers to record); RawBody carries the
// entries of a parsed factomd admin block unchanged.
type ABlock struct {
	PrevBackRefHash Hash
	DBHeight        uint32
	MessageCount    uint32
	RawBody         []byte
}

// MarshalBinary returns admin chain id | previous back-reference hash |
// height | expansion (empty) | message count | body size | body.
func (b *ABlock) MarshalBinary() []byte {
	out := make([]byte, 0, 80+len(b.RawBody))
	out = append(out, AdminChainID[:]...)
	out = append(out, b.PrevBackRefHash[:]...)
	out = binary.BigEndian.AppendUint32(out, b.DBHeight)
	out = AppendVarInt(out, 0)
	out = binary.BigEndian.AppendUint32(out, b.MessageCount)
	out = binary.BigEndian.AppendUint32(out, uint32(len(b.RawBody)))
	return append(out, b.RawBody...)
}

// LookupHash returns SHA256 of the block: its key in a directory block.
func (b *ABlock) LookupHash() Hash { return Sha(b.MarshalBinary()) }

// BackRefHash returns the first half of SHA512 of the block: the next
// admin block's PrevBackRefHash.
func (b *ABlock) BackRefHash() Hash { return Sha512Half(b.MarshalBinary()) }

// UnmarshalABlock parses an admin block's header and keeps its body raw.
func UnmarshalABlock(raw []byte) (*ABlock, error) {
	if len(raw) < 69 || !AdminChainID.equal(raw[:32]) {
		return nil, fmt.Errorf("%w: not an admin block", ErrMalformed)
	}
	b := &ABlock{DBHeight: binary.BigEndian.Uint32(raw[64:])}
	copy(b.PrevBackRefHash[:], raw[32:64])
	x, rest, err := ReadVarInt(raw[68:])
	if err != nil || uint64(len(rest)) < x+8 {
		return nil, fmt.Errorf("%w: truncated admin block header", ErrMalformed)
	}
	if x != 0 {
		return nil, fmt.Errorf("%w: admin block header expansion is not supported", ErrMalformed)
	}
	b.MessageCount = binary.BigEndian.Uint32(rest)
	size := binary.BigEndian.Uint32(rest[4:])
	if uint32(len(rest)-8) != size {
		return nil, fmt.Errorf("%w: admin body is %d bytes; header says %d", ErrMalformed, len(rest)-8, size)
	}
	b.RawBody = append([]byte(nil), rest[8:]...)
	return b, nil
}
