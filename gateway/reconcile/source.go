package reconcile

import (
	"context"
	"sync"

	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/schema"
)

// StoreSource reads the gateway's side from its store.
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
		items := make([]Item, len(p.Items))
		errs := make([]error, len(p.Items))
		var wg sync.WaitGroup
		sem := make(chan struct{}, max(s.Concurrency, 8))
		for i, v := range p.Items {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				ds, err := s.Store.Deliveries(ctx, v.RecordID, v.Digest)
				items[i], errs[i] = Item{Version: v, Deliveries: ds}, err
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return err
			}
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
	items    []Item
	byID     map[string]int
	versions map[string]store.Version // id + "\\x00" + digest
}

// NewMemorySource returns an empty MemorySource.
func NewMemorySource() *MemorySource {
	return &MemorySource{byID: map[string]int{}, versions: map[string]store.Version{}}
}

// Add appends the current version of a record; earlier versions may be
// added with AddVersion. Seq is assigned if zero.
func (m *MemorySource) Add(it Item) {
	if it.Version.Seq == 0 {
		it.Version.Seq = int64(len(m.items) + 1)
	}
	m.byID[it.Version.RecordID] = len(m.items)
	m.items = append(m.items, it)
	m.AddVersion(it.Version)
}

// AddVersion records an accepted (possibly superseded) version.
func (m *MemorySource) AddVersion(v store.Version) {
	m.versions[v.RecordID+"\x00"+string(v.Digest)] = v
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
	v, ok := m.versions[id+"\x00"+string(digest)]
	if !ok {
		return store.Version{}, store.ErrNotFound
	}
	return v, nil
}
