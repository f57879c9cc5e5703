// Package golden holds the compatibility vectors captured from a real
// factomd 6.13 (see testnet/factomd) and checks the protocol package
// against them: entry hashes, chain ids, commit messages and transaction
// ids, entry, directory, entry-credit, admin and factoid block keys,
// receipts and the factoid transaction that bought the entry credits.
package golden

import (
	"encoding/json"
	"fmt"
	"os"
)

// DefaultPath is the vectors file, relative to the repository root.
const DefaultPath = "adapters/factom/testdata/factomd-6.13-golden.json"

// Vectors is one capture session against factomd.
type Vectors struct {
	Source    string `json:"source"`
	Captured  string `json:"captured"` // RFC 3339
	NetworkID uint32 `json:"networkId"`
	ECRate    int64  `json:"ecRate"`
	ECSecret  string `json:"ecSecret"`  // Es... (a throwaway key made for the capture)
	ECAddress string `json:"ecAddress"` // EC...

	Funding Funding `json:"funding"`
	Chain   Write   `json:"chain"`   // the chain's creation (commit-chain, reveal-chain)
	Entries []Write `json:"entries"` // entries added to it (commit-entry, reveal-entry)

	Blocks   []Block          `json:"blocks"`   // every directory block from 0
	EBlocks  []EBlock         `json:"eblocks"`  // the entry blocks of the chain
	Receipts []ReceiptVector  `json:"receipts"` // one per written entry
	Acks     []AckVector      `json:"acks"`     // each distinct ack answer seen while waiting
	Answers  map[string]Reply `json:"answers"`  // method -> a request and factomd's result
	Errors   []Reply          `json:"errors"`   // error answers
}

// Funding is the factoid transaction that bought the capture's credits.
type Funding struct {
	FactoidSecret string          `json:"factoidSecret"` // the LOCAL genesis key
	Credits       uint64          `json:"credits"`
	TxRaw         string          `json:"txRaw"`
	Answer        json.RawMessage `json:"answer"` // factoid-submit result
}

// Write is one entry written through commit and reveal.
type Write struct {
	ChainID      string          `json:"chainId"`
	ExtIDs       []string        `json:"extIds"` // hex
	Content      string          `json:"content"`
	EntryHash    string          `json:"entryHash"`
	EntryRaw     string          `json:"entryRaw"`
	Commit       string          `json:"commit"` // the commit message, hex
	CommitAnswer json.RawMessage `json:"commitAnswer"`
	RevealAnswer json.RawMessage `json:"revealAnswer"`
	EntryAnswer  json.RawMessage `json:"entryAnswer"` // entry result
}

// Block is one directory block and its system blocks, raw.
type Block struct {
	Height  uint32          `json:"height"`
	KeyMR   string          `json:"keyMR"`
	DBlock  string          `json:"dblock"`
	ABlock  string          `json:"ablock"`
	ECBlock string          `json:"ecblock"`
	FBlock  string          `json:"fblock"`
	Answer  json.RawMessage `json:"answer"`          // dblock-by-height result (noraw)
	DirAns  json.RawMessage `json:"directoryAnswer"` // directory-block result
}

// EBlock is one entry block, raw, with factomd's entry-block answer.
type EBlock struct {
	KeyMR  string          `json:"keyMR"`
	Raw    string          `json:"raw"`
	Answer json.RawMessage `json:"answer"`
}

// ReceiptVector is factomd's receipt for an entry.
type ReceiptVector struct {
	EntryHash string          `json:"entryHash"`
	Answer    json.RawMessage `json:"answer"` // receipt result
}

// AckVector is one ack answer.
type AckVector struct {
	Hash    string          `json:"hash"`
	ChainID string          `json:"chainId"`
	Answer  json.RawMessage `json:"answer"`
}

// Reply is a request and factomd's answer: a result or an error.
type Reply struct {
	Name   string          `json:"name,omitempty"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params,omitempty"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  *ErrorReply     `json:"error,omitempty"`
}

// ErrorReply is a JSON-RPC error.
type ErrorReply struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// Load reads vectors from a file.
func Load(path string) (*Vectors, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("golden: %w", err)
	}
	var v Vectors
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("golden: %s: %w", path, err)
	}
	return &v, nil
}

// Save writes vectors to a file, indented.
func (v *Vectors) Save(path string) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
