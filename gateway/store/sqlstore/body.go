package sqlstore

import (
	_ "embed"
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
// Since store version 13 S2 starts from a dictionary, bodydict-v1.s2dict:
// the member names and structure of every built-in record type (the
// shipped examples' canonical skeletons, strings emptied and numbers
// zeroed; internal/bodydict made it). Records repeat those in every
// body; with them in the dictionary the certificate takes 1,088 bytes
// instead of 1,452 and a PostgreSQL page holds five version rows instead
// of four, for 3.5-4 µs of encoding instead of 2-2.3 (S2's dictionary
// encoder is not in assembly; BenchmarkBody): on both stores the
// database's savings outweigh it (docs/performance.md, "Session 15").
// Stored bodies need their dictionary to be read, so it never changes: a
// better one would be v2, with a tag of its own.
//
// The column's first byte tells the encoding:
//
//	'{'   the canonical JSON itself (every body stored before store
//	      version 8, and records are JSON objects)
//	0x00  the canonical bytes follow as they are (compression did not pay)
//	0x01  an S2 block of the canonical bytes follows (store versions 8-12)
//	0x02  an S2 block made with dictionary v1 follows
const (
	bodyRaw    = 0x00
	bodyS2     = 0x01
	bodyS2Dict = 0x02
)

// bodyDictV1 is dictionary v1 as s2.Dict.Bytes wrote it. Its SHA-256 is
// fixed by TestBodyDictFixed.
//
//go:embed bodydict-v1.s2dict
var bodyDictV1 []byte

var bodyDict = func() *s2.Dict {
	d := s2.NewDict(bodyDictV1)
	if d == nil {
		panic("sqlstore: bodydict-v1.s2dict is not an S2 dictionary")
	}
	return d
}()

// errBody is wrapped by bodies that cannot be decoded.
var errBody = errors.New("stored record body")

// encodeBody returns the stored form of a canonical record.
func encodeBody(canonical []byte) []byte {
	if n := s2.MaxEncodedLen(len(canonical)); n > 0 {
		buf := make([]byte, 1+n)
		if z := bodyDict.Encode(buf[1:], canonical); len(z) < len(canonical) {
			buf[0] = bodyS2Dict
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
	case bodyS2Dict:
		out, err := bodyDict.Decode(nil, b[1:])
		if err != nil {
			return nil, fmt.Errorf("%w: %w", errBody, err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%w: unknown encoding 0x%02x", errBody, b[0])
}
