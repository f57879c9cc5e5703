package client

import (
	"context"
	"encoding/hex"
	"fmt"

	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

// Heights calls heights.
func (c *Client) Heights(ctx context.Context) (protocol.HeightsResponse, error) {
	var r protocol.HeightsResponse
	return r, c.Call(ctx, "heights", nil, &r)
}

// Properties calls properties.
func (c *Client) Properties(ctx context.Context) (protocol.PropertiesResponse, error) {
	var r protocol.PropertiesResponse
	return r, c.Call(ctx, "properties", nil, &r)
}

// ECRate calls entry-credit-rate: factoshis per entry credit.
func (c *Client) ECRate(ctx context.Context) (int64, error) {
	var r protocol.RateResponse
	return r.Rate, c.Call(ctx, "entry-credit-rate", nil, &r)
}

// ECBalance calls entry-credit-balance.
func (c *Client) ECBalance(ctx context.Context, pub protocol.ECPublic) (int64, error) {
	var r protocol.BalanceResponse
	return r.Balance, c.Call(ctx, "entry-credit-balance", protocol.AddressRequest{Address: pub.String()}, &r)
}

// FactoidBalance calls factoid-balance for an FA... address.
func (c *Client) FactoidBalance(ctx context.Context, addr string) (int64, error) {
	var r protocol.BalanceResponse
	return r.Balance, c.Call(ctx, "factoid-balance", protocol.AddressRequest{Address: addr}, &r)
}

// CommitChain calls commit-chain.
func (c *Client) CommitChain(ctx context.Context, cc *protocol.CommitChain) (protocol.CommitResponse, error) {
	var r protocol.CommitResponse
	return r, c.Call(ctx, "commit-chain", protocol.MessageRequest{Message: hex.EncodeToString(cc.MarshalBinary())}, &r)
}

// CommitEntry calls commit-entry.
func (c *Client) CommitEntry(ctx context.Context, ce *protocol.CommitEntry) (protocol.CommitResponse, error) {
	var r protocol.CommitResponse
	return r, c.Call(ctx, "commit-entry", protocol.MessageRequest{Message: hex.EncodeToString(ce.MarshalBinary())}, &r)
}

// RevealChain calls reveal-chain with the chain's first entry.
func (c *Client) RevealChain(ctx context.Context, e *protocol.Entry) (protocol.RevealResponse, error) {
	return c.reveal(ctx, "reveal-chain", e)
}

// RevealEntry calls reveal-entry.
func (c *Client) RevealEntry(ctx context.Context, e *protocol.Entry) (protocol.RevealResponse, error) {
	return c.reveal(ctx, "reveal-entry", e)
}

func (c *Client) reveal(ctx context.Context, method string, e *protocol.Entry) (protocol.RevealResponse, error) {
	var r protocol.RevealResponse
	raw, err := e.MarshalBinary()
	if err != nil {
		return r, fmt.Errorf("factomd %s: %w", method, err)
	}
	return r, c.Call(ctx, method, protocol.EntryRequest{Entry: hex.EncodeToString(raw)}, &r)
}

// Entry calls entry and decodes the hex fields.
func (c *Client) Entry(ctx context.Context, hash protocol.Hash) (*protocol.Entry, error) {
	var r protocol.EntryResponse
	if err := c.Call(ctx, "entry", protocol.HashRequest{Hash: hash.String()}, &r); err != nil {
		return nil, err
	}
	return DecodeEntry(r)
}

// DecodeEntry converts an entry answer to an Entry.
func DecodeEntry(r protocol.EntryResponse) (*protocol.Entry, error) {
	cid, err := protocol.ParseHash(r.ChainID)
	if err != nil {
		return nil, err
	}
	e := &protocol.Entry{ChainID: cid}
	if e.Content, err = hex.DecodeString(r.Content); err != nil {
		return nil, fmt.Errorf("%w: entry content: %w", protocol.ErrMalformed, err)
	}
	for _, x := range r.ExtIDs {
		b, err := hex.DecodeString(x)
		if err != nil {
			return nil, fmt.Errorf("%w: entry ExtID: %w", protocol.ErrMalformed, err)
		}
		e.ExtIDs = append(e.ExtIDs, b)
	}
	return e, nil
}

// ChainHead calls chain-head.
func (c *Client) ChainHead(ctx context.Context, chainID protocol.Hash) (protocol.ChainHeadResponse, error) {
	var r protocol.ChainHeadResponse
	return r, c.Call(ctx, "chain-head", protocol.ChainIDRequest{ChainID: chainID.String()}, &r)
}

// EntryBlock calls entry-block.
func (c *Client) EntryBlock(ctx context.Context, keyMR protocol.Hash) (*protocol.EntryBlockResponse, error) {
	var r protocol.EntryBlockResponse
	return &r, c.Call(ctx, "entry-block", protocol.KeyMRRequest{KeyMR: keyMR.String()}, &r)
}

// DirectoryBlock calls directory-block.
func (c *Client) DirectoryBlock(ctx context.Context, keyMR protocol.Hash) (*protocol.DirectoryBlockResponse, error) {
	var r protocol.DirectoryBlockResponse
	return &r, c.Call(ctx, "directory-block", protocol.KeyMRRequest{KeyMR: keyMR.String()}, &r)
}

// DBlockByHeight calls dblock-by-height (without raw data unless raw).
func (c *Client) DBlockByHeight(ctx context.Context, height int64, raw bool) (*protocol.DBlockByHeightResponse, error) {
	var r protocol.DBlockByHeightResponse
	if err := c.Call(ctx, "dblock-by-height", protocol.HeightRequest{Height: height, NoRaw: !raw}, &r); err != nil {
		return nil, err
	}
	if r.DBlock == nil {
		return nil, fmt.Errorf("factomd dblock-by-height %d: %w: no dblock in the answer", height, protocol.ErrMalformed)
	}
	return &r, nil
}

// Receipt calls receipt.
func (c *Client) Receipt(ctx context.Context, entryHash protocol.Hash) (*protocol.Receipt, error) {
	var r protocol.ReceiptResponse
	if err := c.Call(ctx, "receipt", protocol.ReceiptRequest{EntryHash: entryHash.String()}, &r); err != nil {
		return nil, err
	}
	if r.Receipt == nil {
		return nil, fmt.Errorf("factomd receipt %s: %w: empty receipt", entryHash, protocol.ErrMalformed)
	}
	return r.Receipt, nil
}

// Ack calls ack for an entry hash in chainID (use "c" for a commit
// transaction id).
func (c *Client) Ack(ctx context.Context, hash, chainID string) (protocol.EntryStatus, error) {
	var r protocol.EntryStatus
	return r, c.Call(ctx, "ack", protocol.AckRequest{Hash: hash, ChainID: chainID}, &r)
}

// FactoidSubmit calls factoid-submit.
func (c *Client) FactoidSubmit(ctx context.Context, tx *protocol.Transaction) (protocol.FactoidSubmitResponse, error) {
	var r protocol.FactoidSubmitResponse
	return r, c.Call(ctx, "factoid-submit", protocol.TransactionRequest{Transaction: hex.EncodeToString(tx.MarshalBinary())}, &r)
}

// RawData calls raw-data and returns the object's binary form.
func (c *Client) RawData(ctx context.Context, hash protocol.Hash) ([]byte, error) {
	var r struct {
		Data string `json:"data"`
	}
	if err := c.Call(ctx, "raw-data", protocol.HashRequest{Hash: hash.String()}, &r); err != nil {
		return nil, err
	}
	return hex.DecodeString(r.Data)
}
