package reconcile

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/schema"
)

// Snapshot is a ledger's recorded state: the current entry of every
// record, as adapters.Entry. It is a read-only adapters.Adapter, so a
// reconciliation can run against state recorded earlier (benchmarks,
// audits of a ledger export, offline comparison).
//
// Entries are kept in one slice in the order first put, indexed by an
// open-addressing table of (hash, position) words: a read is one probe
// into that table and one into the slice, where a map of a million
// entries costs a few more cache misses per read.
type Snapshot struct {
	entries []adapters.Entry
	// slots: 0 is empty, else the upper 32 bits of the id's hash and the
	// entry's position + 1. len(slots) is a power of two, at least twice
	// len(entries).
	slots []uint64
	seed  maphash.Seed
}

var _ adapters.Adapter = (*Snapshot)(nil)

// NewSnapshot returns an empty snapshot sized for n entries.
func NewSnapshot(n int) *Snapshot {
	s := &Snapshot{entries: make([]adapters.Entry, 0, n), seed: maphash.MakeSeed()}
	s.slots = make([]uint64, tableSize(n))
	return s
}

// tableSize is the number of slots for n entries: a power of two, at
// least 2n (probes stay short) and 8.
func tableSize(n int) int {
	size := 8
	for size < 2*n {
		size <<= 1
	}
	return size
}

// find returns the slot of id (holding its entry, or empty) and id's hash.
func (s *Snapshot) find(id string) (slot int, h uint64) {
	h = maphash.String(s.seed, id)
	mask := uint64(len(s.slots) - 1)
	tag := h >> 32
	for i := h & mask; ; i = (i + 1) & mask {
		w := s.slots[i]
		if w == 0 || (w>>32 == tag && s.entries[uint32(w)-1].RecordID == id) {
			return int(i), h
		}
	}
}

// Put records e as the current entry of e.RecordID. Not safe for use
// concurrently with reads.
func (s *Snapshot) Put(e adapters.Entry) {
	i, h := s.find(e.RecordID)
	if w := s.slots[i]; w != 0 {
		s.entries[uint32(w)-1] = e
		return
	}
	s.entries = append(s.entries, e)
	s.slots[i] = h>>32<<32 | uint64(len(s.entries))
	if len(s.slots) < 2*len(s.entries) {
		s.rehash()
	}
}

// rehash doubles the table.
func (s *Snapshot) rehash() {
	s.slots = make([]uint64, tableSize(len(s.entries)))
	mask := uint64(len(s.slots) - 1)
	for pos, e := range s.entries {
		h := maphash.String(s.seed, e.RecordID)
		i := h & mask
		for s.slots[i] != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = h>>32<<32 | uint64(pos+1)
	}
}

// get returns the entry of id.
func (s *Snapshot) get(id string) (*adapters.Entry, bool) {
	i, _ := s.find(id)
	w := s.slots[i]
	if w == 0 {
		return nil, false
	}
	return &s.entries[uint32(w)-1], true
}

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

// WriteTo writes the snapshot as JSON lines (one adapters.Entry each, in
// the order first put).
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
	e, ok := s.get(id)
	if !ok {
		return adapters.Entry{}, fmt.Errorf("snapshot: %s: %w", id, adapters.ErrNotFound)
	}
	return *e, nil
}

// Receipt implements adapters.Adapter (the current version's only).
func (s *Snapshot) Receipt(_ context.Context, id string, d schema.Digest) (adapters.Receipt, error) {
	e, ok := s.get(id)
	if !ok || e.Digest != d {
		return adapters.Receipt{}, fmt.Errorf("snapshot: %s %s: %w", id, d, adapters.ErrNotFound)
	}
	return e.Receipt, nil
}

// Close implements adapters.Adapter.
func (s *Snapshot) Close() error { return nil }
