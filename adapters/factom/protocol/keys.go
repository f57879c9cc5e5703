package protocol

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
)

// Human-readable address prefixes.
var (
	prefixEC = []byte{0x59, 0x2a} // EC... public entry-credit address
	prefixEs = []byte{0x5d, 0xb6} // Es... entry-credit secret
	prefixFA = []byte{0x5f, 0xb1} // FA... factoid address (RCD hash)
	prefixFs = []byte{0x64, 0x78} // Fs... factoid secret
)

// encodeAddress returns base58(prefix || key || first 4 bytes of
// SHA256d(prefix || key)).
func encodeAddress(prefix []byte, key []byte) string {
	b := append(append([]byte{}, prefix...), key...)
	sum := Shad(b)
	return base58Encode(append(b, sum[:4]...))
}

func decodeAddress(prefix []byte, s string) ([]byte, error) {
	b, err := base58Decode(s)
	if err != nil {
		return nil, err
	}
	if len(b) != 38 || !bytes.Equal(b[:2], prefix) {
		return nil, fmt.Errorf("%w: address %q has the wrong prefix or length", ErrMalformed, s)
	}
	sum := Shad(b[:34])
	if !bytes.Equal(sum[:4], b[34:]) {
		return nil, fmt.Errorf("%w: address %q has a bad checksum", ErrMalformed, s)
	}
	return b[2:34], nil
}

// ECKey is an entry-credit key: an ed25519 key whose public half holds the
// credits and signs commits.
type ECKey struct{ priv ed25519.PrivateKey }

// NewECKey returns the entry-credit key with this 32-byte ed25519 seed.
func NewECKey(seed []byte) (ECKey, error) {
	if len(seed) != ed25519.SeedSize {
		return ECKey{}, fmt.Errorf("%w: entry-credit seed is %d bytes; want 32", ErrMalformed, len(seed))
	}
	return ECKey{priv: ed25519.NewKeyFromSeed(seed)}, nil
}

// GenerateECKey returns a random entry-credit key.
func GenerateECKey() (ECKey, error) {
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return ECKey{}, err
	}
	return NewECKey(seed)
}

// ParseECSecret parses an Es... secret address.
func ParseECSecret(s string) (ECKey, error) {
	seed, err := decodeAddress(prefixEs, s)
	if err != nil {
		return ECKey{}, err
	}
	return NewECKey(seed)
}

// IsZero reports whether k holds no key.
func (k ECKey) IsZero() bool { return k.priv == nil }

// Seed returns the 32-byte ed25519 seed.
func (k ECKey) Seed() []byte { return k.priv.Seed() }

// Secret returns the Es... secret address.
func (k ECKey) Secret() string { return encodeAddress(prefixEs, k.priv.Seed()) }

// Public returns the public key.
func (k ECKey) Public() ECPublic {
	var p ECPublic
	copy(p[:], k.priv.Public().(ed25519.PublicKey))
	return p
}

// Sign signs msg with ed25519.
func (k ECKey) Sign(msg []byte) (sig [64]byte) {
	copy(sig[:], ed25519.Sign(k.priv, msg))
	return sig
}

// ECPublic is an entry-credit public key: the account that holds credits.
type ECPublic [32]byte

// ParseECAddress parses an EC... address or 64 hex digits.
func ParseECAddress(s string) (ECPublic, error) {
	if len(s) == 64 {
		h, err := ParseHash(s)
		return ECPublic(h), err
	}
	b, err := decodeAddress(prefixEC, s)
	if err != nil {
		return ECPublic{}, err
	}
	return ECPublic(b), nil
}

// String returns the EC... address.
func (p ECPublic) String() string { return encodeAddress(prefixEC, p[:]) }

// Verify checks an ed25519 signature by this key.
func (p ECPublic) Verify(msg []byte, sig []byte) bool {
	return len(sig) == ed25519.SignatureSize && ed25519.Verify(ed25519.PublicKey(p[:]), msg, sig)
}

// FactoidKey is a factoid (FCT) key with an RCD type 1 (one ed25519 key).
type FactoidKey struct{ priv ed25519.PrivateKey }

// NewFactoidKey returns the factoid key with this 32-byte seed.
func NewFactoidKey(seed []byte) (FactoidKey, error) {
	if len(seed) != ed25519.SeedSize {
		return FactoidKey{}, fmt.Errorf("%w: factoid seed is %d bytes; want 32", ErrMalformed, len(seed))
	}
	return FactoidKey{priv: ed25519.NewKeyFromSeed(seed)}, nil
}

// ParseFactoidSecret parses an Fs... secret address.
func ParseFactoidSecret(s string) (FactoidKey, error) {
	seed, err := decodeAddress(prefixFs, s)
	if err != nil {
		return FactoidKey{}, err
	}
	return NewFactoidKey(seed)
}

// PublicKey returns the ed25519 public key.
func (k FactoidKey) PublicKey() [32]byte {
	var p [32]byte
	copy(p[:], k.priv.Public().(ed25519.PublicKey))
	return p
}

// RCD returns the type-1 redeem condition: 0x01 || public key.
func (k FactoidKey) RCD() []byte {
	p := k.PublicKey()
	return append([]byte{1}, p[:]...)
}

// RCDHash returns SHA256d(RCD), the 32 bytes a factoid address stands for.
func (k FactoidKey) RCDHash() Hash { return Shad(k.RCD()) }

// Address returns the FA... address.
func (k FactoidKey) Address() string { h := k.RCDHash(); return encodeAddress(prefixFA, h[:]) }

// Secret returns the Fs... secret address.
func (k FactoidKey) Secret() string { return encodeAddress(prefixFs, k.priv.Seed()) }

// Sign signs msg with ed25519.
func (k FactoidKey) Sign(msg []byte) (sig [64]byte) {
	copy(sig[:], ed25519.Sign(k.priv, msg))
	return sig
}

// ParseFactoidAddress parses an FA... address into its RCD hash.
func ParseFactoidAddress(s string) (Hash, error) {
	b, err := decodeAddress(prefixFA, s)
	if err != nil {
		return Hash{}, err
	}
	return Hash(b), nil
}
