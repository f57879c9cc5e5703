package protocol

import (
	"encoding/binary"
	"fmt"
	"time"
)

const (
	// CommitEntrySize is the size of a commit-entry message.
	CommitEntrySize = 136
	// CommitChainSize is the size of a commit-chain message.
	CommitChainSize = 200
	// CommitWindow is how far a commit's timestamp may be from the
	// receiving node's clock.
	CommitWindow = 12 * time.Hour
)

func appendMilli(b []byte, ms uint64) []byte {
	var t [8]byte
	binary.BigEndian.PutUint64(t[:], ms)
	return append(b, t[2:]...)
}

func readMilli(b []byte) uint64 {
	var t [8]byte
	copy(t[2:], b[:6])
	return binary.BigEndian.Uint64(t[:])
}

// CommitEntry pays for an entry in an existing chain: version 0 | 6-byte
// millisecond timestamp | entry hash | credits | EC public key | ed25519
// signature over the first 40 bytes.
type CommitEntry struct {
	MilliTime uint64 // Unix milliseconds (48 bits)
	EntryHash Hash
	Credits   uint8
	ECPubKey  ECPublic
	Sig       [64]byte
}

// NewCommitEntry composes and signs the commit of e at time t.
func NewCommitEntry(e *Entry, key ECKey, t time.Time) (*CommitEntry, error) {
	cost, err := e.Cost()
	if err != nil {
		return nil, err
	}
	c := &CommitEntry{MilliTime: uint64(t.UnixMilli()), EntryHash: e.Hash(), Credits: cost, ECPubKey: key.Public()}
	c.Sig = key.Sign(c.SignedBytes())
	return c, nil
}

// SignedBytes returns the 40 bytes the signature covers.
func (c *CommitEntry) SignedBytes() []byte {
	b := make([]byte, 0, CommitEntrySize)
	b = append(b, 0)
	b = appendMilli(b, c.MilliTime)
	b = append(b, c.EntryHash[:]...)
	return append(b, c.Credits)
}

// MarshalBinary returns the 136-byte message.
func (c *CommitEntry) MarshalBinary() []byte {
	b := c.SignedBytes()
	b = append(b, c.ECPubKey[:]...)
	return append(b, c.Sig[:]...)
}

// TxID is the commit's transaction id: SHA256 of the signed bytes.
func (c *CommitEntry) TxID() Hash { return Sha(c.SignedBytes()) }

// Time returns the commit's timestamp.
func (c *CommitEntry) Time() time.Time { return time.UnixMilli(int64(c.MilliTime)) }

// Verify checks the version-independent rules factomd applies on receipt:
// 1 <= credits <= 10 and a valid signature.
func (c *CommitEntry) Verify() error {
	if c.Credits < 1 || c.Credits > 10 {
		return fmt.Errorf("%w: commit pays %d credits; an entry costs 1 to 10", ErrMalformed, c.Credits)
	}
	if !c.ECPubKey.Verify(c.SignedBytes(), c.Sig[:]) {
		return fmt.Errorf("%w: bad commit signature", ErrMalformed)
	}
	return nil
}

// UnmarshalCommitEntry parses a commit-entry message. Like factomd, it
// ignores bytes after the first 136.
func UnmarshalCommitEntry(b []byte) (*CommitEntry, error) {
	if len(b) < CommitEntrySize {
		return nil, fmt.Errorf("%w: commit-entry message is %d bytes; want %d", ErrMalformed, len(b), CommitEntrySize)
	}
	if b[0] != 0 {
		return nil, fmt.Errorf("%w: commit version %d", ErrMalformed, b[0])
	}
	c := &CommitEntry{MilliTime: readMilli(b[1:7]), Credits: b[39]}
	copy(c.EntryHash[:], b[7:39])
	copy(c.ECPubKey[:], b[40:72])
	copy(c.Sig[:], b[72:136])
	return c, nil
}

// CommitChain pays for a new chain and its first entry: version 0 |
// timestamp | SHA256d(chain id) | weld SHA256d(entry hash || chain id) |
// entry hash | credits | EC public key | signature over the first 104 bytes.
type CommitChain struct {
	MilliTime   uint64
	ChainIDHash Hash
	Weld        Hash
	EntryHash   Hash
	Credits     uint8
	ECPubKey    ECPublic
	Sig         [64]byte
}

// NewCommitChain composes and signs the commit of the chain whose first
// entry is e.
func NewCommitChain(e *Entry, key ECKey, t time.Time) (*CommitChain, error) {
	cost, err := e.Cost()
	if err != nil {
		return nil, err
	}
	eh := e.Hash()
	c := &CommitChain{
		MilliTime:   uint64(t.UnixMilli()),
		ChainIDHash: Shad(e.ChainID[:]),
		Weld:        Weld(eh, e.ChainID),
		EntryHash:   eh,
		Credits:     cost + NewChainCost,
		ECPubKey:    key.Public(),
	}
	c.Sig = key.Sign(c.SignedBytes())
	return c, nil
}

// Weld returns SHA256d(entry hash || chain id), which binds a chain commit
// to its first entry.
func Weld(entryHash, chainID Hash) Hash {
	return Shad(append(append([]byte{}, entryHash[:]...), chainID[:]...))
}

// SignedBytes returns the 104 bytes the signature covers.
func (c *CommitChain) SignedBytes() []byte {
	b := make([]byte, 0, CommitChainSize)
	b = append(b, 0)
	b = appendMilli(b, c.MilliTime)
	b = append(b, c.ChainIDHash[:]...)
	b = append(b, c.Weld[:]...)
	b = append(b, c.EntryHash[:]...)
	return append(b, c.Credits)
}

// MarshalBinary returns the 200-byte message.
func (c *CommitChain) MarshalBinary() []byte {
	b := c.SignedBytes()
	b = append(b, c.ECPubKey[:]...)
	return append(b, c.Sig[:]...)
}

// TxID is the commit's transaction id: SHA256 of the signed bytes.
func (c *CommitChain) TxID() Hash { return Sha(c.SignedBytes()) }

// Time returns the commit's timestamp.
func (c *CommitChain) Time() time.Time { return time.UnixMilli(int64(c.MilliTime)) }

// Verify checks 11 <= credits <= 20 and the signature.
func (c *CommitChain) Verify() error {
	if c.Credits < 11 || c.Credits > 20 {
		return fmt.Errorf("%w: chain commit pays %d credits; a chain costs 11 to 20", ErrMalformed, c.Credits)
	}
	if !c.ECPubKey.Verify(c.SignedBytes(), c.Sig[:]) {
		return fmt.Errorf("%w: bad commit signature", ErrMalformed)
	}
	return nil
}

// UnmarshalCommitChain parses a commit-chain message (trailing bytes are
// ignored, as factomd does).
func UnmarshalCommitChain(b []byte) (*CommitChain, error) {
	if len(b) < CommitChainSize {
		return nil, fmt.Errorf("%w: commit-chain message is %d bytes; want %d", ErrMalformed, len(b), CommitChainSize)
	}
	if b[0] != 0 {
		return nil, fmt.Errorf("%w: commit version %d", ErrMalformed, b[0])
	}
	c := &CommitChain{MilliTime: readMilli(b[1:7]), Credits: b[103]}
	copy(c.ChainIDHash[:], b[7:39])
	copy(c.Weld[:], b[39:71])
	copy(c.EntryHash[:], b[71:103])
	copy(c.ECPubKey[:], b[104:136])
	copy(c.Sig[:], b[136:200])
	return c, nil
}
