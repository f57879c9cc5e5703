package factom

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
	"github.com/ledgergate/ledgergate/schema"
)

// ExtID markers. The first ExtID of every entry the adapter writes says
// what the entry is.
const (
	markerChain   = "ledgergate:chain:v1"   // first entry of a record chain
	markerAnchors = "ledgergate:anchors:v1" // first entry of an anchor chain
	markerRecord  = "ledgergate:record:v1"  // a record version
	markerAnchor  = "ledgergate:anchor:v1"  // a Merkle root of anchored digests
)

// MaxContent is the most disclosed bytes the adapter puts in one entry: an
// entry carries at most 10240 bytes of ExtIDs and content, and the record
// ExtIDs take up to about 1 KiB of that. Larger records need digest or
// redacted disclosure.
const MaxContent = protocol.MaxEntryPayload - 1024

// ChainFor returns the id of the chain that holds the records of one
// issuer and record type in a namespace, and the chain's first entry
// (deterministic, so concurrent creators commit the same entry).
func ChainFor(namespace, issuer, recordType string) *protocol.Entry {
	content, _ := json.Marshal(map[string]string{"namespace": namespace, "issuer": issuer, "type": recordType, "by": "ledgergate"})
	return protocol.NewChainEntry(content, []byte(markerChain), []byte(namespace), []byte(issuer), []byte(recordType))
}

// AnchorChainFor returns the first entry of a namespace's anchor chain.
func AnchorChainFor(namespace string) *protocol.Entry {
	return protocol.NewChainEntry([]byte(`{"by":"ledgergate","merkle":"`+merkleScheme+`"}`), []byte(markerAnchors), []byte(namespace))
}

// chainKind classifies a chain by its first entry: a record chain of this
// namespace (with issuer and type), an anchor chain of this namespace, or
// neither.
type chainInfo struct {
	anchors    bool
	issuer     string
	recordType string
}

func classifyChain(namespace string, first *protocol.Entry) (chainInfo, bool) {
	x := first.ExtIDs
	switch {
	case len(x) == 4 && string(x[0]) == markerChain && string(x[1]) == namespace:
		return chainInfo{issuer: string(x[2]), recordType: string(x[3])}, true
	case len(x) == 2 && string(x[0]) == markerAnchors && string(x[1]) == namespace:
		return chainInfo{anchors: true}, true
	}
	return chainInfo{}, false
}

// recordEntry returns the entry for a prepared record:
// ExtIDs: marker | type | id | digest | supersedes | disclosure | issuer;
// content: the disclosed bytes.
func recordEntry(namespace string, pl adapters.Payload) *protocol.Entry {
	r := pl.Record
	return &protocol.Entry{
		ChainID: ChainFor(namespace, r.Issuer.ID, r.Type).ChainID,
		ExtIDs: [][]byte{
			[]byte(markerRecord), []byte(r.Type), []byte(r.ID), []byte(r.Digest),
			[]byte(r.Supersedes), []byte(pl.Policy.Disclosure), []byte(r.Issuer.ID),
		},
		Content: pl.Content,
	}
}

// recordMeta is what a record entry's ExtIDs say.
type recordMeta struct {
	recordType string
	id         string
	digest     schema.Digest
	supersedes schema.Digest
	disclosure adapters.Disclosure
	issuer     string
}

// parseRecordEntry reads a record entry's ExtIDs; ok is false for any
// other entry.
func parseRecordEntry(e *protocol.Entry) (recordMeta, bool) {
	x := e.ExtIDs
	if len(x) != 7 || !bytes.Equal(x[0], []byte(markerRecord)) {
		return recordMeta{}, false
	}
	m := recordMeta{recordType: string(x[1]), id: string(x[2]), digest: schema.Digest(x[3]), supersedes: schema.Digest(x[4]), disclosure: adapters.Disclosure(x[5]), issuer: string(x[6])}
	if _, err := schema.ParseDigest(string(m.digest)); err != nil || m.id == "" {
		return recordMeta{}, false
	}
	if m.supersedes != "" {
		if _, err := schema.ParseDigest(string(m.supersedes)); err != nil {
			return recordMeta{}, false
		}
	}
	switch m.disclosure {
	case adapters.DisclosureFull, adapters.DisclosureRedacted, adapters.DisclosureDigest:
	default:
		return recordMeta{}, false
	}
	return m, true
}

// checkContent verifies what can be verified of an entry's content: a full
// disclosure must hash to the digest, a digest disclosure must be empty.
func (m recordMeta) checkContent(content []byte) error {
	switch m.disclosure {
	case adapters.DisclosureFull:
		if schema.DigestOf(content) != m.digest {
			return fmt.Errorf("full content hashes to %s, not %s", schema.DigestOf(content), m.digest)
		}
	case adapters.DisclosureDigest:
		if len(content) != 0 {
			return fmt.Errorf("a digest-only entry carries %d bytes of content", len(content))
		}
	}
	return nil
}
