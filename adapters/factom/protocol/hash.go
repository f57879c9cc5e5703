package protocol

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
)

// Hash is a 32-byte value: an entry hash, a chain id, a Merkle root or a
// public key. Its text form is 64 lowercase hex digits.
type Hash [32]byte

// ErrMalformed reports bytes or text that do not parse as the expected
// Factom structure.
var ErrMalformed = errors.New("factom: malformed")

// System chain ids (the last byte names the block type).
var (
	AdminChainID   = Hash{31: 0x0a}
	ECChainID      = Hash{31: 0x0c}
	DBlockChainID  = Hash{31: 0x0d}
	FactoidChainID = Hash{31: 0x0f}
)

// String returns the hex form.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// IsZero reports whether h is all zeros.
func (h Hash) IsZero() bool { return h == Hash{} }

// MarshalText implements encoding.TextMarshaler (hex).
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler (hex).
func (h *Hash) UnmarshalText(b []byte) error {
	p, err := ParseHash(string(b))
	if err != nil {
		return err
	}
	*h = p
	return nil
}

// ParseHash parses 64 hex digits.
func ParseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != 64 {
		return h, fmt.Errorf("%w: hash %q: want 64 hex digits", ErrMalformed, s)
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return h, fmt.Errorf("%w: hash %q: %w", ErrMalformed, s, err)
	}
	return h, nil
}

// HashFrom copies a 32-byte slice into a Hash; ok is false for other lengths.
func HashFrom(b []byte) (h Hash, ok bool) {
	if len(b) != len(h) {
		return h, false
	}
	copy(h[:], b)
	return h, true
}

// Sha returns SHA-256 of the concatenation of parts.
func Sha(parts ...[]byte) Hash {
	d := sha256.New()
	for _, p := range parts {
		d.Write(p)
	}
	var h Hash
	d.Sum(h[:0])
	return h
}

// Shad returns SHA-256(SHA-256(b)).
func Shad(b []byte) Hash {
	h := sha256.Sum256(b)
	return Sha(h[:])
}

// Sha512Half returns the first 32 bytes of SHA-512(b) (admin block
// back-reference hashes).
func Sha512Half(b []byte) Hash {
	s := sha512.Sum512(b)
	var h Hash
	copy(h[:], s[:32])
	return h
}

// MinuteMarker returns the entry-block marker that closes minute m (1..10).
func MinuteMarker(m byte) Hash { return Hash{31: m} }

// IsMinuteMarker reports whether h is an entry-block minute marker and which.
func IsMinuteMarker(h Hash) (byte, bool) {
	if m := h[31]; m >= 1 && m <= 10 && h == MinuteMarker(m) {
		return m, true
	}
	return 0, false
}
