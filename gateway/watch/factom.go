package watch

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/factom/client"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
	"github.com/ledgergate/ledgergate/internal/ctxtime"
)

// FactomSource watches the entries of one Factom chain, through a node's
// v2 API (factomd, or the embedded node). Factom has no reorganisations:
// an entry in a directory block is final.
type FactomSource struct {
	c          *client.Client
	name       string
	network    string
	chain      protocol.Hash
	fromHeight uint32
	poll       time.Duration
}

// FactomConfig configures a FactomSource.
type FactomConfig struct {
	Name       string
	Network    string
	ChainID    string
	FromHeight uint32        // where an unwatched source starts (default 0)
	Poll       time.Duration // default 1 s
}

// NewFactomSource returns the source.
func NewFactomSource(c *client.Client, cfg FactomConfig) (*FactomSource, error) {
	cid, err := protocol.ParseHash(cfg.ChainID)
	if err != nil {
		return nil, fmt.Errorf("source %s: chainId: %w", cfg.Name, err)
	}
	s := &FactomSource{c: c, name: cfg.Name, network: cfg.Network, chain: cid, fromHeight: cfg.FromHeight, poll: cfg.Poll}
	if s.poll <= 0 {
		s.poll = time.Second
	}
	return s, nil
}

// Kind implements Source.
func (s *FactomSource) Kind() string { return "factom" }

// Checkpoints: "factom:<height>:<index>" (that entry of the chain's entry
// block at height done) or "factom:<height>:*" (the height done).
func factomCheckpoint(h uint32, idx int) adapters.Checkpoint {
	i := "*"
	if idx >= 0 {
		i = strconv.Itoa(idx)
	}
	return adapters.Checkpoint(fmt.Sprintf("factom:%d:%s", h, i))
}

func parseFactomCheckpoint(cp adapters.Checkpoint) (h uint32, idx int, ok bool, err error) {
	if cp == "" {
		return 0, 0, false, nil
	}
	parts := strings.Split(string(cp), ":")
	if len(parts) != 3 || parts[0] != "factom" {
		return 0, 0, false, fmt.Errorf("checkpoint %q is not a factom source checkpoint", cp)
	}
	hh, err := strconv.ParseUint(parts[1], 10, 32)
	if err != nil {
		return 0, 0, false, fmt.Errorf("checkpoint %q: %w", cp, err)
	}
	idx = -1
	if parts[2] != "*" {
		if idx, err = strconv.Atoi(parts[2]); err != nil {
			return 0, 0, false, fmt.Errorf("checkpoint %q: %w", cp, err)
		}
	}
	return uint32(hh), idx, true, nil
}

// Watch implements Source.
func (s *FactomSource) Watch(ctx context.Context, from adapters.Checkpoint) iter.Seq2[Native, error] {
	return func(yield func(Native, error) bool) {
		next, skipH, skipIdx := s.fromHeight, uint32(0), -1
		if h, idx, ok, err := parseFactomCheckpoint(from); err != nil {
			yield(Native{}, err)
			return
		} else if ok {
			if idx < 0 {
				next = h + 1
			} else {
				next, skipH, skipIdx = h, h, idx
			}
		}
		wait := s.poll
		for ctx.Err() == nil {
			hs, err := s.c.Heights(ctx)
			if err != nil {
				wait = min(wait*2, 30*time.Second)
				ctxtime.Sleep(ctx, wait)
				continue
			}
			failed := false
			for ; int64(next) <= hs.DirectoryBlockHeight && ctx.Err() == nil; next++ {
				ns, err := s.height(ctx, next)
				if err != nil {
					failed = true
					break
				}
				for _, n := range ns {
					if next == skipH && int(n.Provenance.Index) <= skipIdx {
						continue
					}
					if !yield(n, nil) {
						return
					}
				}
				if !yield(Native{Checkpoint: factomCheckpoint(next, -1)}, nil) {
					return
				}
				skipIdx = -1
			}
			if failed {
				wait = min(wait*2, 30*time.Second)
			} else {
				wait = s.poll
			}
			ctxtime.Sleep(ctx, wait)
		}
	}
}

// height returns the chain's entries in the directory block at h.
func (s *FactomSource) height(ctx context.Context, h uint32) ([]Native, error) {
	db, err := s.c.DBlockByHeight(ctx, int64(h), false)
	if err != nil {
		return nil, err
	}
	var out []Native
	for _, e := range db.DBlock.DBEntries {
		if e.ChainID != s.chain.String() {
			continue
		}
		key, err := protocol.ParseHash(e.KeyMR)
		if err != nil {
			return nil, err
		}
		eb, err := s.c.EntryBlock(ctx, key)
		if err != nil {
			return nil, err
		}
		for i, a := range eb.EntryList {
			eh, err := protocol.ParseHash(a.EntryHash)
			if err != nil {
				return nil, err
			}
			if strings.HasPrefix(a.EntryHash, "00000000000000000000000000000000000000000000000000000000000000") {
				continue // minute markers
			}
			entry, err := s.c.Entry(ctx, eh)
			if err != nil {
				return nil, err
			}
			n := Native{
				Key: a.EntryHash,
				Provenance: Provenance{Source: s.name, Ledger: "factom", Network: s.network, ChainID: s.chain.String(),
					TxID: a.EntryHash, Block: uint64(h), BlockHash: db.DBlock.KeyMR, Index: uint64(i)},
				Checkpoint: factomCheckpoint(h, i),
			}
			n.Payload = entryPayload(entry, a.Timestamp)
			out = append(out, n)
		}
	}
	return out, nil
}

// entryPayload is a Factom entry as the mapping sees it: content (parsed
// JSON when it is JSON, else a string, else hex), external ids (strings,
// or hex when not UTF-8) and the entry's timestamp (Unix seconds).
func entryPayload(e *protocol.Entry, ts int64) map[string]any {
	str := func(b []byte) any {
		if utf8.Valid(b) {
			return string(b)
		}
		return "0x" + hex.EncodeToString(b)
	}
	var content any
	if err := json.Unmarshal(e.Content, &content); err != nil {
		content = str(e.Content)
	}
	ext := make([]any, len(e.ExtIDs))
	for i, x := range e.ExtIDs {
		ext[i] = str(x)
	}
	return map[string]any{"content": content, "extIds": ext, "timestamp": ts}
}
