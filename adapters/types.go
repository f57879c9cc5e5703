package adapters

import (
	"encoding/json"
	"time"

	"github.com/ledgergate/ledgergate/schema"
)

// Disclosure says how much of a record a ledger receives.
type Disclosure string

const (
	// DisclosureFull puts the whole canonical record on the ledger.
	DisclosureFull Disclosure = "full"
	// DisclosureRedacted puts the envelope and the named public fields.
	DisclosureRedacted Disclosure = "redacted"
	// DisclosureDigest puts only id, type, issuer and digest.
	DisclosureDigest Disclosure = "digest"
)

// Policy is the disclosure policy of a route.
type Policy struct {
	Disclosure Disclosure `json:"disclosure"`
	// PublicFields names the top-level fields a redacted record keeps in
	// addition to the envelope (id, type, schemaVersion, issuer, issuedAt,
	// validFrom, validUntil, supersedes).
	PublicFields []string `json:"publicFields,omitempty"`
}

// Status is where a write stands on a ledger.
type Status string

const (
	StatusSubmitted Status = "submitted" // sent, not yet in a block
	StatusCommitted Status = "committed" // in a block, fewer confirmations than required
	StatusConfirmed Status = "confirmed" // as final as the adapter's confirmation setting requires
)

// Receipt describes one write on one ledger with enough detail for a third
// party to verify it without trusting the gateway.
type Receipt struct {
	Ledger     string        `json:"ledger"` // adapter kind: ethereum, fabric, factom, memory
	Network    string        `json:"network,omitempty"`
	RecordID   string        `json:"recordId"`
	Digest     schema.Digest `json:"digest"`
	Supersedes schema.Digest `json:"supersedes,omitempty"`
	Disclosure Disclosure    `json:"disclosure"`
	// TxID is the transaction hash (Ethereum), transaction id (Fabric) or
	// entry hash (Factom).
	TxID string `json:"txId"`
	// Block is the block number (Ethereum, Fabric) or directory block
	// height (Factom); BlockHash its hash or KeyMR.
	Block     uint64 `json:"block"`
	BlockHash string `json:"blockHash,omitempty"`
	// Index is the log index (Ethereum) or position within the block.
	Index         uint64    `json:"index"`
	Status        Status    `json:"status"`
	Confirmations uint64    `json:"confirmations"`
	Time          time.Time `json:"time,omitzero"`
	// Proof carries ledger-specific verification material, e.g. a Factom
	// receipt's Merkle branch or a Fabric validation code.
	Proof json.RawMessage `json:"proof,omitempty"`
}

// Pending returns r as a write the ledger has taken but not yet put in a
// block: status submitted, without a block position or confirmations.
// Submitter.Track answers with it while the write is on its way.
func (r Receipt) Pending() Receipt {
	r.Status, r.Confirmations, r.Block, r.BlockHash, r.Index = StatusSubmitted, 0, 0, "", 0
	return r
}

// Entry is a record as a ledger holds it.
type Entry struct {
	RecordID   string        `json:"recordId"`
	Type       string        `json:"type"`
	Issuer     string        `json:"issuer"`
	Digest     schema.Digest `json:"digest"`
	Supersedes schema.Digest `json:"supersedes,omitempty"`
	Disclosure Disclosure    `json:"disclosure"`
	// Content is the canonical record (full), the canonical redacted
	// record (redacted), or nil (digest).
	Content []byte  `json:"content,omitempty"`
	Receipt Receipt `json:"receipt"`
}

// Checkpoint is an opaque, durable position in a ledger's event stream.
// Store it as a string; the empty checkpoint is the start of the ledger.
type Checkpoint string

// EventKind says what happened to a record on the ledger.
type EventKind string

const (
	// EventWritten: a record version was written (or re-included after a
	// reorganisation).
	EventWritten EventKind = "written"
	// EventRetracted: a previously delivered write left the canonical
	// chain (a reorganisation). It may be delivered again later.
	EventRetracted EventKind = "retracted"
)

// Event is one record event from a ledger.
type Event struct {
	Kind       EventKind     `json:"kind"`
	RecordID   string        `json:"recordId"`
	Type       string        `json:"type"`
	Issuer     string        `json:"issuer"`
	Digest     schema.Digest `json:"digest"`
	Supersedes schema.Digest `json:"supersedes,omitempty"`
	Receipt    Receipt       `json:"receipt"`
	// Checkpoint resumes the stream just after this event.
	Checkpoint Checkpoint `json:"checkpoint"`
}

// Verification is the outcome of checking a receipt against a ledger.
type Verification struct {
	OK     bool          `json:"ok"`
	Digest schema.Digest `json:"digest"` // the digest the ledger holds for the write
	Detail string        `json:"detail"` // what was checked, or what did not match
	// Confirmations as seen by the verifier.
	Confirmations uint64 `json:"confirmations"`
}

// AnchorReceipt is the receipt of one anchoring write.
type AnchorReceipt struct {
	Root    string  `json:"root"` // hex Merkle root of the anchored digests
	Count   int     `json:"count"`
	Receipt Receipt `json:"receipt"`
}

// InclusionProof proves that a digest is a leaf of an anchored Merkle root.
type InclusionProof struct {
	Digest schema.Digest `json:"digest"`
	Index  int           `json:"index"`
	// Path lists the sibling hashes (hex) from the leaf up to the root.
	Path []string `json:"path"`
	Root string   `json:"root"`
}
