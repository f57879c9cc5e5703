package protocol

import "fmt"

// AppendVarInt appends v in Factom's variable-length integer form: big-endian
// groups of 7 bits, the high bit set on every byte but the last.
func AppendVarInt(b []byte, v uint64) []byte {
	var groups [10]byte
	n := 0
	for {
		groups[n] = byte(v & 0x7f)
		n++
		v >>= 7
		if v == 0 {
			break
		}
	}
	for i := n - 1; i >= 0; i-- {
		g := groups[i]
		if i > 0 {
			g |= 0x80
		}
		b = append(b, g)
	}
	return b
}

// ReadVarInt decodes a variable-length integer from the start of b and
// returns it with the rest of b.
func ReadVarInt(b []byte) (uint64, []byte, error) {
	var v uint64
	for i, c := range b {
		if i == 10 {
			break
		}
		v = v<<7 | uint64(c&0x7f)
		if c < 0x80 {
			return v, b[i+1:], nil
		}
	}
	return 0, nil, fmt.Errorf("%w: truncated varint", ErrMalformed)
}
