package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// Digest is the SHA-256 digest of a record's canonical form, written
// "sha256:" followed by 64 lowercase hex digits.
type Digest string

const digestPrefix = "sha256:"

// DigestOf returns the digest of canonical bytes. It does not canonicalise;
// use Canonicalize first, or Registry.Validate, which does both.
func DigestOf(canonical []byte) Digest {
	sum := sha256.Sum256(canonical)
	return Digest(digestPrefix + hex.EncodeToString(sum[:]))
}

// ParseDigest checks that s is a well-formed digest.
func ParseDigest(s string) (Digest, error) {
	hexPart, ok := strings.CutPrefix(s, digestPrefix)
	if !ok || len(hexPart) != 64 || strings.ToLower(hexPart) != hexPart {
		return "", fmt.Errorf("digest %q: want sha256: followed by 64 lowercase hex digits: %w", s, ErrMalformed)
	}
	if _, err := hex.DecodeString(hexPart); err != nil {
		return "", fmt.Errorf("digest %q: %w", s, ErrMalformed)
	}
	return Digest(s), nil
}

// Bytes returns the 32 raw digest bytes, or nil if d is malformed.
func (d Digest) Bytes() []byte {
	b, err := hex.DecodeString(strings.TrimPrefix(string(d), digestPrefix))
	if err != nil || len(b) != sha256.Size || !strings.HasPrefix(string(d), digestPrefix) {
		return nil
	}
	return b
}

func (d Digest) String() string { return string(d) }

// Canonicalize returns the RFC 8785 (JSON Canonicalization Scheme) form of
// a JSON text. It rejects input the strict parser rejects (duplicate keys,
// invalid UTF-8, unrepresentable numbers, nesting deeper than
// DefaultMaxDepth); it does not apply any schema. Canonicalising canonical
// bytes returns them unchanged.
func Canonicalize(data []byte) ([]byte, error) {
	_, canon, err := parseCanonical(data, DefaultMaxDepth)
	return canon, err
}
