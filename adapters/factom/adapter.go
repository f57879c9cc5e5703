// Package factom is the ledgergate adapter for Factom-protocol ledgers: the
// embedded node (package node) and factomd 6.13, through the factomd v2
// JSON-RPC API.
//
// A record becomes one entry in the chain of its (issuer, record type) in
// the adapter's namespace. The entry's ExtIDs carry the record type, id,
// digest, superseded digest, disclosure and issuer; its content is what
// the disclosure policy lets out (the canonical record, the canonical
// redacted record, or nothing). Entries are committed with an
// entry-credit key, revealed, and a Write returns once the entry is in a
// directory block; Submit (adapters.Submitter) returns once the ledger has
// acknowledged it, and Track follows it into its block. Receipts carry the
// entry hash, the directory block height and KeyMR, and factomd's Merkle
// receipt from the entry to that KeyMR.
//
// The adapter reads the ledger by scanning directory blocks for its
// namespace's chains and applying the version rules in ledger order, so any
// number of adapters on one ledger agree on every record's history.
package factom

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/factom/client"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
	"github.com/ledgergate/ledgergate/schema"
)

// Compile-time checks of the capabilities the adapter offers.
var (
	_ adapters.Adapter  = (*Adapter)(nil)
	_ adapters.Watcher  = (*Adapter)(nil)
	_ adapters.Verifier = (*Adapter)(nil)
	_ adapters.Anchorer = (*Adapter)(nil)
)

// LedgerKind is the Receipt.Ledger of this adapter.
const LedgerKind = "factom"

// Option configures an Adapter.
type Option func(*Adapter)

// WithECKey sets the entry-credit key that pays for entries (required).
func WithECKey(k protocol.ECKey) Option { return func(a *Adapter) { a.key = k } }

// WithNamespace separates the chains of independent deployments (or test
// runs) on one ledger; default "default".
func WithNamespace(ns string) Option { return func(a *Adapter) { a.ns = ns } }

// WithNetwork sets Receipt.Network (for example "embedded" or "local").
func WithNetwork(name string) Option { return func(a *Adapter) { a.network = name } }

// WithPollInterval sets how often the adapter polls acks and new blocks
// (default 500 ms; an embedded node with instant blocks wants ~10 ms).
func WithPollInterval(d time.Duration) Option { return func(a *Adapter) { a.poll = d } }

// WithStartHeight skips directory blocks below h when scanning (the height
// the namespace's first chain was created at, or later if older records do
// not matter).
func WithStartHeight(h uint32) Option { return func(a *Adapter) { a.start = h } }

// WithRegistry sets the schema registry used to re-validate records.
func WithRegistry(r *schema.Registry) Option { return func(a *Adapter) { a.reg = r } }

// WithMaxContent lowers the disclosed-bytes limit per record (default and
// maximum MaxContent).
func WithMaxContent(n int) Option { return func(a *Adapter) { a.maxContent = min(n, MaxContent) } }

// Adapter is an adapters.Adapter over a Factom v2 API.
type Adapter struct {
	c          *client.Client
	key        protocol.ECKey
	ns         string
	network    string
	poll       time.Duration
	start      uint32
	reg        *schema.Registry
	maxContent int

	idx    *index
	ids    keyedMutex // serialises writes per record id
	chains keyedMutex // serialises chain creation per chain

	mu     sync.Mutex
	closed bool
	stop   chan struct{} // closed by Close: ends watches and waits
}

// New returns an adapter writing through c. It checks that the API
// answers; an unreachable ledger gives an error wrapping
// adapters.ErrUnavailable.
func New(ctx context.Context, c *client.Client, opts ...Option) (*Adapter, error) {
	a := &Adapter{c: c, ns: "default", poll: 500 * time.Millisecond, maxContent: MaxContent, stop: make(chan struct{})}
	for _, o := range opts {
		o(a)
	}
	if a.key.IsZero() {
		return nil, errors.New("factom: an entry-credit key is required (WithECKey)")
	}
	if _, err := c.Heights(ctx); err != nil {
		return nil, fmt.Errorf("factom: %s: %w", c.URL(), unavailable(err))
	}
	a.idx = newIndex(a.ns, a.start)
	return a, nil
}

// ECPublic returns the public key that pays for the adapter's entries.
func (a *Adapter) ECPublic() protocol.ECPublic { return a.key.Public() }

// Client returns the adapter's API client.
func (a *Adapter) Client() *client.Client { return a.c }

// Close implements adapters.Adapter.
func (a *Adapter) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.closed {
		a.closed = true
		close(a.stop)
	}
	return nil
}

func (a *Adapter) checkOpen() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return adapters.ErrClosed
	}
	return nil
}

// sync brings the index up to the ledger's head.
func (a *Adapter) sync(ctx context.Context) error {
	if err := a.idx.sync(ctx, a.c); err != nil {
		return fmt.Errorf("factom: read the ledger: %w", unavailable(err))
	}
	return nil
}

// readUnavailable is unavailable for the answer to a query that changes
// nothing (ack, entry): there a JSON-RPC internal error (-32603) is also
// the node failing to answer for now, and asking again is safe. factomd
// 6.13 answers ack so, now and then, for an entry it has just taken. A
// write's internal error stays as it is: the write may have been applied.
func readUnavailable(err error) error {
	var re *protocol.RPCError
	if errors.As(err, &re) && re.Code == rpcInternalError && !errors.Is(err, adapters.ErrUnavailable) {
		return fmt.Errorf("%w: %w", adapters.ErrUnavailable, err)
	}
	return unavailable(err)
}

// rpcInternalError is JSON-RPC's code for an internal error.
const rpcInternalError = -32603

// unavailable marks errors that prove the request never reached the node
// as adapters.ErrUnavailable.
func unavailable(err error) error {
	if errors.Is(err, client.ErrUnreachable) && !errors.Is(err, adapters.ErrUnavailable) {
		return fmt.Errorf("%w: %w", adapters.ErrUnavailable, err)
	}
	return err
}

// sleep waits d, or until ctx ends or the adapter closes.
func (a *Adapter) sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-a.stop:
		return adapters.ErrClosed
	case <-t.C:
		return nil
	}
}

// keyedMutex is a set of mutexes by key, dropped when unused.
type keyedMutex struct {
	mu sync.Mutex
	m  map[string]*keyedEntry
}

type keyedEntry struct {
	sync.Mutex
	n int
}

func (k *keyedMutex) lock(key string) func() {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[string]*keyedEntry{}
	}
	e := k.m[key]
	if e == nil {
		e = &keyedEntry{}
		k.m[key] = e
	}
	e.n++
	k.mu.Unlock()
	e.Lock()
	return func() {
		e.Unlock()
		k.mu.Lock()
		if e.n--; e.n == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
}
