// Package watch watches partners' own ledgers (an Ethereum contract's
// events, a Factom chain's entries, a Fabric chaincode's events), maps each native event to a
// common-schema record with a jq program, and accepts the records like
// submissions, keeping their native provenance. An event that fails
// mapping, validation or acceptance becomes a dead-letter item that can be
// retried once the mapping is fixed. Positions are checkpointed in the
// store after every event, and a lease in the store makes exactly one
// gateway instance watch each source.
package watch

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/google/uuid"
	"github.com/itchyny/gojq"

	"github.com/ledgergate/ledgergate/schema"
)

// ProvenanceKey is the extension under which a mapped record keeps the
// native provenance of the event it was mapped from.
const ProvenanceKey = "org.ledgergate:provenance"

// idNamespace derives default record ids (UUIDv5) from native positions.
var idNamespace = uuid.MustParse("6d0f5f58-5d7e-4f0b-9a39-7a8e0f3c2b11")

// Provenance is where on the partner's ledger a record came from.
type Provenance struct {
	Source  string `json:"source"`            // the watched source's name
	Ledger  string `json:"ledger"`            // ethereum, factom, fabric
	Network string `json:"network,omitempty"` // chain id, network name
	// Contract and Event (Ethereum), ChainID (Factom), Channel,
	// Chaincode and Event (Fabric: the chaincode event's name).
	Contract  string `json:"contract,omitempty"`
	Event     string `json:"event,omitempty"`
	ChainID   string `json:"chainId,omitempty"`
	Channel   string `json:"channel,omitempty"`
	Chaincode string `json:"chaincode,omitempty"`
	// TxID is the transaction hash (Ethereum), entry hash (Factom) or
	// transaction id (Fabric).
	TxID string `json:"txId"`
	// Block is the block number or directory-block height, BlockHash its
	// hash or KeyMR (Ethereum, Factom); Index the log index or position in
	// the entry block (Ethereum, Factom; 0 for Fabric, which has one event
	// per transaction).
	Block     uint64 `json:"block"`
	BlockHash string `json:"blockHash,omitempty"`
	Index     uint64 `json:"index"`
}

// ErrMapping wraps mapping failures.
var ErrMapping = errors.New("mapping failed")

// Mapping is a compiled jq program from a native payload to records.
//
// The program's input is the native payload (the decoded event arguments,
// a Factom entry's content and external ids, or a Fabric chaincode
// event's JSON payload); $meta is the provenance
// object and $source the source name. It yields one record object per
// output: zero outputs skip the event on purpose (a filter), several
// make several records. A record without an id gets a stable one derived
// from the source and the native position, so re-observing an event
// always produces the same record. The gateway sets
// extensions["org.ledgergate:provenance"] itself.
type Mapping struct {
	src  string
	code *gojq.Code
}

// CompileMapping parses and compiles a jq program.
func CompileMapping(program string) (*Mapping, error) {
	q, err := gojq.Parse(program)
	if err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	code, err := gojq.Compile(q, gojq.WithVariables([]string{"$meta", "$source"}))
	if err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	return &Mapping{src: program, code: code}, nil
}

// Source returns the program text.
func (m *Mapping) Source() string { return m.src }

// normalize turns a value into plain JSON types (what jq sees, and what a
// dead-letter retry sees after the payload was stored as JSON).
func normalize(v any) (any, []byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, nil, err
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, nil, err
	}
	return out, b, nil
}

// Apply runs the mapping on a payload (plain JSON types) and validates
// each record it yields. The error wraps ErrMapping or is the registry's
// validation error.
func (m *Mapping) Apply(reg *schema.Registry, payload any, prov Provenance, key string) ([]*schema.Record, error) {
	meta, _, err := normalize(prov)
	if err != nil {
		return nil, err
	}
	iter := m.code.Run(payload, meta, prov.Source)
	var docs []map[string]any
	for {
		v, ok := iter.Next()
		if !ok {
			break
		}
		if err, ok := v.(error); ok {
			var he *gojq.HaltError
			if errors.As(err, &he) && he.Value() == nil {
				break
			}
			return nil, fmt.Errorf("%w: jq: %v", ErrMapping, err)
		}
		doc, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%w: the program yielded %T, want a record object", ErrMapping, v)
		}
		docs = append(docs, doc)
		if len(docs) > 100 {
			return nil, fmt.Errorf("%w: the program yielded more than 100 records", ErrMapping)
		}
	}
	var out []*schema.Record
	for i, doc := range docs {
		if _, has := doc["id"]; !has {
			name := prov.Source + "|" + key
			if len(docs) > 1 {
				name += "|" + strconv.Itoa(i)
			}
			doc["id"] = "urn:uuid:" + uuid.NewSHA1(idNamespace, []byte(name)).String()
		}
		ext, _ := doc["extensions"].(map[string]any)
		if ext == nil {
			if doc["extensions"] != nil {
				return nil, fmt.Errorf("%w: extensions must be an object", ErrMapping)
			}
			ext = map[string]any{}
		}
		ext[ProvenanceKey] = meta
		doc["extensions"] = ext
		b, err := json.Marshal(doc)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMapping, err)
		}
		rec, err := reg.Validate(b)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}
