package sqlstore

import (
	"errors"
	"fmt"

	"github.com/klauspost/compress/s2"
)

// Stored record bodies. A version's canonical record is stored
// compressed with S2 (klauspost/compress) when that makes it smaller.
// The point is the database page, not the disk: a 2.2 KB certificate and
// its version row (2.4 KB) filled a 4 KiB SQLite page alone, so every
// accepted record wrote a page of its own to the WAL and again to the
// database; at about 1.5 KB two rows share a page. S2 takes about 4 µs
// for that certificate, on the caller's goroutine rather than the single
// writer's, and reading it back about 2 µs (BenchmarkBody).
//
// The column's first byte tells the encoding:
//
//	'{'   the canonical JSON itself (every body stored before store
//	      version 8, and records are JSON objects)
//	0x00  the canonical bytes follow as they are (compression did not pay)
//	0x01  an S2 block of the canonical bytes follows
const (
	bodyRaw = 0x00
	bodyS2  = 0x01
)

// errBody is wrapped by bodies that cannot be decoded.
var errBody = errors.New("stored record body")

// encodeBody returns the stored form of a canonical record.
func encodeBody(canonical []byte) []byte {
	if n := s2.MaxEncodedLen(len(canonical)); n > 0 {
		buf := make([]byte, 1+n)
		if z := s2.Encode(buf[1:], canonical); len(z) < len(canonical) {
			buf[0] = bodyS2
			return buf[:1+len(z)]
		}
	}
	return append([]byte{bodyRaw}, canonical...)
}

// decodeBody returns the canonical record of a stored body.
func decodeBody(b []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: empty", errBody)
	}
	switch b[0] {
	case '{':
		return b, nil
	case bodyRaw:
		return b[1:], nil
	case bodyS2:
		out, err := s2.Decode(nil, b[1:])
		if err != nil {
			return nil, fmt.Errorf("%w: %w", errBody, err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%w: unknown encoding 0x%02x", errBody, b[0])
}
