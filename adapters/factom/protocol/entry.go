package protocol

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
)

const (
	// EntryHeaderSize is the fixed part of an entry: version, chain id and
	// the 2-byte total ExtID length.
	EntryHeaderSize = 35
	// MaxEntryPayload bounds ExtIDs plus content (10 KiB).
	MaxEntryPayload = 10240
	// NewChainCost is the surcharge, in entry credits, of creating a chain.
	NewChainCost = 10
)

// Entry is a Factom entry: a chain id, external ids and content.
type Entry struct {
	ChainID Hash
	ExtIDs  [][]byte
	Content []byte
}

// NewChainEntry returns the first entry of a new chain; its chain id is
// derived from its ExtIDs.
func NewChainEntry(content []byte, extIDs ...[]byte) *Entry {
	return &Entry{ChainID: ChainIDOf(extIDs...), ExtIDs: extIDs, Content: content}
}

// ChainIDOf returns SHA256(SHA256(extid0) || SHA256(extid1) || ...), the id of
// the chain whose first entry carries these ExtIDs.
func ChainIDOf(extIDs ...[]byte) Hash {
	d := sha256.New()
	for _, x := range extIDs {
		h := sha256.Sum256(x)
		d.Write(h[:])
	}
	var h Hash
	d.Sum(h[:0])
	return h
}

// PayloadSize is the size of the ExtIDs (with their length prefixes) plus
// the content: what the 10 KiB limit and the cost apply to.
func (e *Entry) PayloadSize() int {
	n := len(e.Content)
	for _, x := range e.ExtIDs {
		n += 2 + len(x)
	}
	return n
}

// Validate checks the entry fits the protocol limits.
func (e *Entry) Validate() error {
	for i, x := range e.ExtIDs {
		if len(x) > MaxEntryPayload {
			return fmt.Errorf("%w: entry ExtID %d is %d bytes", ErrMalformed, i, len(x))
		}
	}
	if n := e.PayloadSize(); n > MaxEntryPayload {
		return fmt.Errorf("%w: entry payload is %d bytes; limit %d", ErrMalformed, n, MaxEntryPayload)
	}
	return nil
}

// Cost returns the entry-credit cost of the entry: one credit per started
// KiB of payload, at least 1, at most 10.
func (e *Entry) Cost() (uint8, error) {
	if err := e.Validate(); err != nil {
		return 0, err
	}
	return CostOf(e.PayloadSize()), nil
}

// CostOf returns the entry-credit cost of a payload of n bytes (n <= 10240).
func CostOf(n int) uint8 {
	c := (n + 1023) / 1024
	if c < 1 {
		c = 1
	}
	return uint8(c)
}

// MarshalBinary returns the entry's binary form: version 0 | chain id |
// ExtIDs length (2, BE) | per ExtID length (2, BE) and bytes | content.
func (e *Entry) MarshalBinary() ([]byte, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return e.appendBinary(make([]byte, 0, EntryHeaderSize+e.PayloadSize())), nil
}

func (e *Entry) appendBinary(b []byte) []byte {
	b = append(b, 0)
	b = append(b, e.ChainID[:]...)
	ext := 0
	for _, x := range e.ExtIDs {
		ext += 2 + len(x)
	}
	b = binary.BigEndian.AppendUint16(b, uint16(ext))
	for _, x := range e.ExtIDs {
		b = binary.BigEndian.AppendUint16(b, uint16(len(x)))
		b = append(b, x...)
	}
	return append(b, e.Content...)
}

// Hash returns the entry hash, SHA256(SHA512(data) || data) of its binary
// form.
func (e *Entry) Hash() Hash {
	raw, err := e.MarshalBinary()
	if err != nil {
		raw = e.appendBinary(nil) // hash what there is; Validate reports the problem
	}
	return EntryHash(raw)
}

// EntryHash returns SHA256(SHA512(raw) || raw).
func EntryHash(raw []byte) Hash {
	s := sha512.Sum512(raw)
	return Sha(s[:], raw)
}

// UnmarshalEntry parses an entry's binary form.
func UnmarshalEntry(raw []byte) (*Entry, error) {
	if len(raw) < EntryHeaderSize {
		return nil, fmt.Errorf("%w: entry is %d bytes; header alone is %d", ErrMalformed, len(raw), EntryHeaderSize)
	}
	if raw[0] != 0 {
		return nil, fmt.Errorf("%w: entry version %d", ErrMalformed, raw[0])
	}
	if len(raw)-EntryHeaderSize > MaxEntryPayload {
		return nil, fmt.Errorf("%w: entry payload is %d bytes; limit %d", ErrMalformed, len(raw)-EntryHeaderSize, MaxEntryPayload)
	}
	e := &Entry{}
	copy(e.ChainID[:], raw[1:33])
	ext := int(binary.BigEndian.Uint16(raw[33:35]))
	rest := raw[EntryHeaderSize:]
	if ext > len(rest) {
		return nil, fmt.Errorf("%w: ExtIDs length %d exceeds the entry", ErrMalformed, ext)
	}
	ids, content := rest[:ext], rest[ext:]
	for len(ids) > 0 {
		if len(ids) < 2 {
			return nil, fmt.Errorf("%w: truncated ExtID length", ErrMalformed)
		}
		n := int(binary.BigEndian.Uint16(ids))
		if n > len(ids)-2 {
			return nil, fmt.Errorf("%w: ExtID of %d bytes exceeds the ExtIDs", ErrMalformed, n)
		}
		e.ExtIDs = append(e.ExtIDs, append([]byte(nil), ids[2:2+n]...))
		ids = ids[2+n:]
	}
	e.Content = append([]byte(nil), content...)
	return e, nil
}
