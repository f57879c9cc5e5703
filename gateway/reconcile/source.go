package reconcile

import (
	"context"
	"errors"
	"sync"

	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/schema"
)

// StoreSource reads the gateway's side from its store: pages of current
// versions with their deliveries, read for a whole page at once when the
// store implements store.VersionDeliveries (both built-in stores do), one
// query per record otherwise.
type StoreSource struct {
	Store store.Store
	// Concurrency of the per-record delivery lookups (default 8).
	Concurrency int
}

var _ Source = StoreSource{}

// Scan implements Source: pages of current versions in acceptance order,
// each with its current deliveries.
func (s StoreSource) Scan(ctx context.Context, after int64, fn func([]Item) error) error {
	for {
		p, err := s.Store.List(ctx, store.Query{After: after, Limit: 1000})
		if err != nil {
			return err
		}
		if len(p.Items) == 0 {
			return nil
		}
		items, err := s.withDeliveries(ctx, p.Items)
		if err != nil {
			return err
		}
		if err := fn(items); err != nil {
			return err
		}
		if p.Next == 0 {
			return nil
		}
		after = p.Next
	}
}

// withDeliveries pairs each version with its deliveries.
func (s StoreSource) withDeliveries(ctx context.Context, vs []store.Version) ([]Item, error) {
	items := make([]Item, len(vs))
	if vd, ok := s.Store.(store.VersionDeliveries); ok {
		seqs := make([]int64, len(vs))
		for i, v := range vs {
			seqs[i] = v.Seq
		}
		byVersion, err := vd.DeliveriesOfVersions(ctx, seqs)
		if err != nil {
			return nil, err
		}
		for i, v := range vs {
			items[i] = Item{Version: v, Deliveries: byVersion[v.Seq]}
		}
		return items, nil
	}
	errs := make([]error, len(vs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(s.Concurrency, 8))
	for i, v := range vs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			ds, err := s.Store.Deliveries(ctx, v.RecordID, v.Digest)
			items[i], errs[i] = Item{Version: v, Deliveries: ds}, err
		})
	}
	wg.Wait()
	return items, errors.Join(errs...)
}

// Item implements Source.
func (s StoreSource) Item(ctx context.Context, id string) (Item, error) {
	d, err := s.Store.Record(ctx, id)
	if err != nil {
		return Item{}, err
	}
	it := Item{Version: d.Current}
	for _, dl := range d.Deliveries {
		if dl.Digest == d.Current.Digest {
			it.Deliveries = append(it.Deliveries, dl)
		}
	}
	return it, nil
}

// Version implements Source.
func (s StoreSource) Version(ctx context.Context, id string, digest schema.Digest) (store.Version, error) {
	return s.Store.Version(ctx, id, digest)
}

// MemorySource is a Source over records held in memory (benchmarks,
// recorded gateway state, tests). Add records in acceptance order.
type MemorySource struct {
	items []Item
	byID  map[string]int
	// versions holds the versions added with AddVersion and those a later
	// Add of the same record made non-current; the current ones are found
	// through byID.
	versions map[versionKey]store.Version
}

type versionKey struct {
	id     string
	digest schema.Digest
}

// NewMemorySource returns an empty MemorySource.
func NewMemorySource() *MemorySource {
	return &MemorySource{byID: map[string]int{}, versions: map[versionKey]store.Version{}}
}

// Add appends the current version of a record; earlier versions may be
// added with AddVersion. Seq is assigned if zero.
func (m *MemorySource) Add(it Item) {
	if it.Version.Seq == 0 {
		it.Version.Seq = int64(len(m.items) + 1)
	}
	if i, ok := m.byID[it.Version.RecordID]; ok {
		// The previous current version stays known (unless AddVersion
		// gave a later copy of it).
		old := m.items[i].Version
		if _, ok := m.versions[versionKey{old.RecordID, old.Digest}]; !ok {
			m.AddVersion(old)
		}
	}
	delete(m.versions, versionKey{it.Version.RecordID, it.Version.Digest}) // the latest added wins
	m.byID[it.Version.RecordID] = len(m.items)
	m.items = append(m.items, it)
}

// AddVersion records an accepted (possibly superseded) version.
func (m *MemorySource) AddVersion(v store.Version) {
	m.versions[versionKey{v.RecordID, v.Digest}] = v
}

// Len is the number of records.
func (m *MemorySource) Len() int { return len(m.items) }

// Scan implements Source: batches of 4,096 records. A batch that is one
// run of the records as added is passed as a view of them, not a copy: fn
// must not modify it.
func (m *MemorySource) Scan(ctx context.Context, after int64, fn func([]Item) error) error {
	const batch = 4096
	for i := 0; ; {
		for i < len(m.items) && m.items[i].Version.Seq <= after {
			i++
		}
		if i == len(m.items) {
			return nil
		}
		j := i
		for j < len(m.items) && j-i < batch && m.items[j].Version.Seq > after {
			j++
		}
		var cur []Item
		if j-i == batch || j == len(m.items) {
			cur, i = m.items[i:j:j], j
		} else {
			// Records to skip follow: collect a batch across them.
			cur = make([]Item, 0, batch)
			for ; i < len(m.items) && len(cur) < batch; i++ {
				if m.items[i].Version.Seq > after {
					cur = append(cur, m.items[i])
				}
			}
		}
		if len(cur) == batch {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := fn(cur); err != nil {
			return err
		}
	}
}

// Item implements Source.
func (m *MemorySource) Item(ctx context.Context, id string) (Item, error) {
	i, ok := m.byID[id]
	if !ok {
		return Item{}, store.ErrNotFound
	}
	return m.items[i], nil
}

// Version implements Source.
func (m *MemorySource) Version(ctx context.Context, id string, digest schema.Digest) (store.Version, error) {
	if v, ok := m.versions[versionKey{id, digest}]; ok {
		return v, nil
	}
	if i, ok := m.byID[id]; ok && m.items[i].Version.Digest == digest {
		return m.items[i].Version, nil
	}
	return store.Version{}, store.ErrNotFound
}
