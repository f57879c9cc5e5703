package reconcile

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/schema"
)

// Snapshot is a ledger's recorded state: the current entry of every
// record, as adapters.Entry. It is a read-only adapters.Adapter, so a
// reconciliation can run against state recorded earlier (benchmarks,
// audits of a ledger export, offline comparison).
type Snapshot struct {
	entries map[string]adapters.Entry
}

var _ adapters.Adapter = (*Snapshot)(nil)

// NewSnapshot returns an empty snapshot sized for n entries.
func NewSnapshot(n int) *Snapshot { return &Snapshot{entries: make(map[string]adapters.Entry, n)} }

// Put records e as the current entry of e.RecordID. Not safe for use
// concurrently with reads.
func (s *Snapshot) Put(e adapters.Entry) { s.entries[e.RecordID] = e }

// Len is the number of records.
func (s *Snapshot) Len() int { return len(s.entries) }

// RecordSnapshot reads the current entry of each id from a ledger.
func RecordSnapshot(ctx context.Context, a adapters.Adapter, ids []string) (*Snapshot, error) {
	s := NewSnapshot(len(ids))
	for _, id := range ids {
		e, err := a.Read(ctx, id)
		if errors.Is(err, adapters.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("snapshot %s: %w", id, err)
		}
		s.Put(e)
	}
	return s, nil
}

// WriteTo writes the snapshot as JSON lines (one adapters.Entry each).
func (s *Snapshot) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	bw := bufio.NewWriter(cw)
	enc := json.NewEncoder(bw)
	for _, e := range s.entries {
		if err := enc.Encode(e); err != nil {
			return cw.n, err
		}
	}
	err := bw.Flush()
	return cw.n, err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// LoadSnapshot reads JSON lines written by WriteTo.
func LoadSnapshot(r io.Reader) (*Snapshot, error) {
	s := NewSnapshot(0)
	dec := json.NewDecoder(bufio.NewReader(r))
	for {
		var e adapters.Entry
		if err := dec.Decode(&e); errors.Is(err, io.EOF) {
			return s, nil
		} else if err != nil {
			return nil, fmt.Errorf("snapshot entry %d: %w", s.Len()+1, err)
		}
		s.Put(e)
	}
}

// Write implements adapters.Adapter: a snapshot is read-only.
func (s *Snapshot) Write(context.Context, *schema.Record, adapters.Policy) (adapters.Receipt, error) {
	return adapters.Receipt{}, adapters.Reject(adapters.ReasonForbidden, "a recorded snapshot is read-only", nil)
}

// Read implements adapters.Adapter.
func (s *Snapshot) Read(_ context.Context, id string) (adapters.Entry, error) {
	e, ok := s.entries[id]
	if !ok {
		return adapters.Entry{}, fmt.Errorf("snapshot: %s: %w", id, adapters.ErrNotFound)
	}
	return e, nil
}

// Receipt implements adapters.Adapter (the current version's only).
func (s *Snapshot) Receipt(_ context.Context, id string, d schema.Digest) (adapters.Receipt, error) {
	e, ok := s.entries[id]
	if !ok || e.Digest != d {
		return adapters.Receipt{}, fmt.Errorf("snapshot: %s %s: %w", id, d, adapters.ErrNotFound)
	}
	return e.Receipt, nil
}

// Close implements adapters.Adapter.
func (s *Snapshot) Close() error { return nil }
