package factom

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom/client"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
	"github.com/ledgergate/ledgergate/schema"
)

// version is one accepted record version on the ledger.
type version struct {
	recordMeta
	entryHash protocol.Hash
	chainID   protocol.Hash
	height    uint32
	dbKeyMR   protocol.Hash
	index     int // position among the entry block's entries
	seq       int // 1-based position among this height's accepted versions
	time      time.Time

	mu    sync.Mutex
	proof *protocol.Receipt // fetched once, receipts do not change
}

// index maps record ids to their versions. The adapter builds it by
// scanning directory blocks for the entries of its namespace's chains and
// applying the version rules in ledger order: a version is accepted only
// if it supersedes the id's current version (or is the first, with no
// supersedes); a repeated id and digest is ignored. Every adapter on the
// same ledger therefore agrees on each id's history.
type index struct {
	ns    string
	start uint32

	syncMu sync.Mutex // one scan at a time

	mu       sync.Mutex
	next     uint32 // next height to scan
	top      int64  // last height seen by a scan (-1: none)
	chains   map[protocol.Hash]chainInfo
	foreign  map[protocol.Hash]bool
	heads    map[string]*version               // id -> current version
	versions map[string]*version               // id + "\x00" + digest -> version
	events   []*version                        // accepted versions in ledger order
	local    map[protocol.Hash]*protocol.Entry // entries this adapter wrote (no need to fetch)
}

func newIndex(ns string, start uint32) *index {
	return &index{
		ns: ns, start: start, next: start, top: -1,
		chains: map[protocol.Hash]chainInfo{}, foreign: map[protocol.Hash]bool{},
		heads: map[string]*version{}, versions: map[string]*version{},
		local: map[protocol.Hash]*protocol.Entry{},
	}
}

func versionKey(id string, d schema.Digest) string { return id + "\x00" + string(d) }

func (x *index) head(id string) *version {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.heads[id]
}

func (x *index) version(id string, d schema.Digest) *version {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.versions[versionKey(id, d)]
}

func (x *index) ourChain(id protocol.Hash) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	_, ok := x.chains[id]
	return ok
}

func (x *index) height() int64 {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.top
}

// remember records an entry this adapter wrote, so a scan need not fetch
// it.
func (x *index) remember(e *protocol.Entry) {
	x.mu.Lock()
	x.local[e.Hash()] = e
	x.mu.Unlock()
}

// sync scans every directory block up to the ledger's current height.
// Concurrent callers share scans: a caller whose height another scan
// covered returns at once.
func (x *index) sync(ctx context.Context, c *client.Client) error {
	hs, err := c.Heights(ctx)
	if err != nil {
		return err
	}
	if x.height() >= hs.DirectoryBlockHeight {
		return nil
	}
	x.syncMu.Lock()
	defer x.syncMu.Unlock()
	for h := x.nextHeight(); int64(h) <= hs.DirectoryBlockHeight; h++ {
		if err := x.scan(ctx, c, h); err != nil {
			return fmt.Errorf("factom: scan directory block %d: %w", h, err)
		}
	}
	x.mu.Lock()
	x.top = max(x.top, hs.DirectoryBlockHeight)
	x.mu.Unlock()
	return nil
}

func (x *index) nextHeight() uint32 {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.next
}

// scan reads one directory block and applies its record entries.
func (x *index) scan(ctx context.Context, c *client.Client, h uint32) error {
	db, err := c.DBlockByHeight(ctx, int64(h), false)
	if err != nil {
		return err
	}
	dbKey, err := protocol.ParseHash(db.DBlock.KeyMR)
	if err != nil {
		return err
	}
	var found []*version
	for _, e := range db.DBlock.DBEntries {
		cid, err := protocol.ParseHash(e.ChainID)
		if err != nil {
			return err
		}
		if cid == protocol.AdminChainID || cid == protocol.ECChainID || cid == protocol.FactoidChainID {
			continue
		}
		ebKey, err := protocol.ParseHash(e.KeyMR)
		if err != nil {
			return err
		}
		vs, err := x.scanEBlock(ctx, c, cid, ebKey)
		if err != nil {
			return err
		}
		for _, v := range vs {
			v.height, v.dbKeyMR = h, dbKey
		}
		found = append(found, vs...)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	seq := 0
	for _, v := range found {
		k := versionKey(v.id, v.digest)
		if x.versions[k] != nil {
			continue // the same version again (another disclosure, another writer)
		}
		head := x.heads[v.id]
		if (head == nil && v.supersedes != "") || (head != nil && v.supersedes != head.digest) {
			continue // does not supersede the current version: not accepted
		}
		seq++
		v.seq = seq
		x.versions[k] = v
		x.heads[v.id] = v
		x.events = append(x.events, v)
	}
	for _, v := range found {
		delete(x.local, v.entryHash)
	}
	x.next = h + 1
	return nil
}

// scanEBlock returns the record versions in one of the namespace's entry
// blocks (nothing for other chains).
func (x *index) scanEBlock(ctx context.Context, c *client.Client, cid, ebKey protocol.Hash) ([]*version, error) {
	x.mu.Lock()
	info, ours := x.chains[cid]
	foreign := x.foreign[cid]
	x.mu.Unlock()
	if foreign {
		return nil, nil
	}
	eb, err := c.EntryBlock(ctx, ebKey)
	if err != nil {
		return nil, err
	}
	if !ours {
		first, err := firstEntry(ctx, c, eb)
		if err != nil {
			return nil, err
		}
		info, ours = classifyChain(x.ns, first)
		x.mu.Lock()
		if ours {
			x.chains[cid] = info
		} else {
			x.foreign[cid] = true
		}
		x.mu.Unlock()
		if !ours {
			return nil, nil
		}
	}
	if info.anchors {
		return nil, nil // anchor entries are not record events
	}
	var out []*version
	for i, a := range eb.EntryList {
		eh, err := protocol.ParseHash(a.EntryHash)
		if err != nil {
			return nil, err
		}
		x.mu.Lock()
		e := x.local[eh]
		x.mu.Unlock()
		if e == nil {
			if e, err = c.Entry(ctx, eh); err != nil {
				return nil, err
			}
		}
		m, ok := parseRecordEntry(e)
		if !ok || m.issuer != info.issuer || m.recordType != info.recordType || m.checkContent(e.Content) != nil {
			continue // the chain's first entry, or not a valid record entry
		}
		out = append(out, &version{recordMeta: m, entryHash: eh, chainID: cid, index: i, time: time.Unix(a.Timestamp, 0).UTC()})
	}
	return out, nil
}

// firstEntry returns the first entry of the chain an entry block belongs
// to, walking back to the chain's first entry block if needed.
func firstEntry(ctx context.Context, c *client.Client, eb *protocol.EntryBlockResponse) (*protocol.Entry, error) {
	for eb.Header.PrevKeyMR != (protocol.Hash{}).String() {
		prev, err := protocol.ParseHash(eb.Header.PrevKeyMR)
		if err != nil {
			return nil, err
		}
		if eb, err = c.EntryBlock(ctx, prev); err != nil {
			return nil, err
		}
	}
	if len(eb.EntryList) == 0 {
		return nil, fmt.Errorf("%w: entry block without entries", protocol.ErrMalformed)
	}
	h, err := protocol.ParseHash(eb.EntryList[0].EntryHash)
	if err != nil {
		return nil, err
	}
	return c.Entry(ctx, h)
}

// eventsAfter returns the accepted versions after checkpoint (height,
// seq): all at greater heights, and those at height with a greater seq.
func (x *index) eventsAfter(height uint32, seq int) []*version {
	x.mu.Lock()
	defer x.mu.Unlock()
	i := sort.Search(len(x.events), func(i int) bool {
		v := x.events[i]
		return v.height > height || (v.height == height && v.seq > seq)
	})
	return append([]*version(nil), x.events[i:]...)
}
