// Package memory is the in-memory reference adapter. It keeps a ledger in
// process memory with the same semantics the contract asks of real ledgers
// (write-once versions, supersedes links, an ordered event log with
// checkpoints), and can inject faults so the conformance kit can be shown
// to catch them.
package memory

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"sync"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/schema"
)

// Compile-time checks of the capabilities the adapter offers.
var (
	_ adapters.Adapter   = (*Adapter)(nil)
	_ adapters.Watcher   = (*Adapter)(nil)
	_ adapters.Verifier  = (*Adapter)(nil)
	_ adapters.Submitter = (*Adapter)(nil)
)

// Ledger is an in-memory ledger shared by any number of adapters.
type Ledger struct {
	mu       sync.Mutex
	heads    map[string]int // record id -> index of its current version in log
	versions map[string]int // id + "\x00" + digest -> index in log
	log      []adapters.Entry
	changed  chan struct{} // closed and replaced on every append
	writes   uint64
	down     bool
}

// NewLedger returns an empty ledger.
func NewLedger() *Ledger {
	return &Ledger{heads: map[string]int{}, versions: map[string]int{}, changed: make(chan struct{})}
}

// Writes is the number of writes the ledger has accepted.
func (l *Ledger) Writes() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.writes
}

// SetDown makes the ledger unreachable (true) or reachable again.
func (l *Ledger) SetDown(down bool) {
	l.mu.Lock()
	l.down = down
	l.mu.Unlock()
}

// Tamper makes e the current version of e.RecordID, bypassing every check
// the adapter makes (and without counting a write): a ledger altered
// behind the gateway's back, for reconciliation tests. Its receipt is
// copied from the id's previous head when e has none.
func (l *Ledger) Tamper(e adapters.Entry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if h, ok := l.heads[e.RecordID]; ok && e.Receipt.TxID == "" {
		e.Receipt = l.log[h].Receipt
		e.Receipt.Digest = e.Digest
	}
	l.log = append(l.log, e)
	l.heads[e.RecordID] = len(l.log) - 1
	l.versions[e.RecordID+"\x00"+string(e.Digest)] = len(l.log) - 1
	close(l.changed)
	l.changed = make(chan struct{})
}

// Faults makes an adapter break the contract on purpose. Each field, when
// n > 0, applies to every n-th occurrence.
type Faults struct {
	DropEvent             int // a watch stream skips an event
	DuplicateEvent        int // a watch stream delivers an event twice
	ReorderEvents         int // a watch stream swaps an event with the next
	UnavailableAfterApply int // Write applies the record, then reports ErrUnavailable
	SubmitRewrites        int // Submit of a version the ledger holds writes it again
	TrackNeverGivesUp     int // Track reports a version the ledger does not hold as still pending
}

// Option configures an Adapter.
type Option func(*Adapter)

// WithFaults injects faults (for testing the conformance kit).
func WithFaults(f Faults) Option { return func(a *Adapter) { a.faults = f } }

// WithRegistry sets the schema registry used to re-validate records.
func WithRegistry(r *schema.Registry) Option { return func(a *Adapter) { a.reg = r } }

// WithMaxContent limits disclosed bytes per record (default: no limit
// beyond the registry's).
func WithMaxContent(n int) Option { return func(a *Adapter) { a.maxContent = n } }

// Adapter is an adapters.Adapter over a Ledger.
type Adapter struct {
	ledger     *Ledger
	reg        *schema.Registry
	maxContent int
	faults     Faults

	mu      sync.Mutex
	closed  bool
	nWrite  int
	nSubmit int
	nTrack  int
}

// New returns an adapter writing to ledger.
func New(ledger *Ledger, opts ...Option) *Adapter {
	a := &Adapter{ledger: ledger}
	for _, o := range opts {
		o(a)
	}
	return a
}

func (a *Adapter) checkOpen() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return adapters.ErrClosed
	}
	return nil
}

// Write implements adapters.Adapter.
func (a *Adapter) Write(ctx context.Context, rec *schema.Record, p adapters.Policy) (adapters.Receipt, error) {
	if err := a.checkOpen(); err != nil {
		return adapters.Receipt{}, err
	}
	if err := ctx.Err(); err != nil {
		return adapters.Receipt{}, fmt.Errorf("memory: %w: %w", adapters.ErrUnavailable, err)
	}
	pl, err := adapters.Prepare(a.reg, rec, p, a.maxContent)
	if err != nil {
		return adapters.Receipt{}, err
	}
	l := a.ledger
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.down {
		return adapters.Receipt{}, fmt.Errorf("memory: ledger is down: %w", adapters.ErrUnavailable)
	}
	r := pl.Record
	if i, ok := l.versions[r.ID+"\x00"+string(r.Digest)]; ok {
		return l.log[i].Receipt, nil // already there: no second write
	}
	if h, ok := l.heads[r.ID]; ok {
		head := l.log[h].Digest
		if r.Supersedes != head {
			return adapters.Receipt{}, adapters.Reject(adapters.ReasonConflict,
				fmt.Sprintf("record %s is held with digest %s; a new version must supersede it (supersedes is %q)", r.ID, head, r.Supersedes), nil)
		}
	} else if r.Supersedes != "" {
		return adapters.Receipt{}, adapters.Reject(adapters.ReasonConflict,
			fmt.Sprintf("record %s supersedes %s, but the ledger holds no version of it", r.ID, r.Supersedes), nil)
	}
	block := uint64(len(l.log) + 1)
	rc := adapters.Receipt{
		Ledger: "memory", RecordID: r.ID, Digest: r.Digest, Supersedes: r.Supersedes,
		Disclosure: p.Disclosure, TxID: txID(r), Block: block, BlockHash: blockHash(block, r),
		Status: adapters.StatusConfirmed, Confirmations: 1, Time: time.Now().UTC(),
	}
	e := adapters.Entry{RecordID: r.ID, Type: r.Type, Issuer: r.Issuer.ID, Digest: r.Digest, Supersedes: r.Supersedes,
		Disclosure: p.Disclosure, Content: pl.Content, Receipt: rc}
	l.log = append(l.log, e)
	l.heads[r.ID] = len(l.log) - 1
	l.versions[r.ID+"\x00"+string(r.Digest)] = len(l.log) - 1
	l.writes++
	close(l.changed)
	l.changed = make(chan struct{})

	a.mu.Lock()
	a.nWrite++
	n := a.nWrite
	a.mu.Unlock()
	if every(a.faults.UnavailableAfterApply, n) {
		return adapters.Receipt{}, fmt.Errorf("memory: injected fault: %w", adapters.ErrUnavailable)
	}
	return rc, nil
}

func every(n, i int) bool { return n > 0 && i%n == 0 }

// count increments *n under the adapter's lock and returns it.
func (a *Adapter) count(n *int) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	*n++
	return *n
}

// Submit implements adapters.Submitter. The in-memory ledger commits at
// once, so Submit is Write and its receipt is already confirmed.
func (a *Adapter) Submit(ctx context.Context, rec *schema.Record, p adapters.Policy) (adapters.Receipt, error) {
	if rec != nil && every(a.faults.SubmitRewrites, a.count(&a.nSubmit)) {
		if _, err := a.Receipt(ctx, rec.ID, rec.Digest); err == nil {
			a.ledger.mu.Lock()
			a.ledger.writes++ // the fault: a second write of a version the ledger holds
			a.ledger.mu.Unlock()
		}
	}
	return a.Write(ctx, rec, p)
}

// Track implements adapters.Submitter: the version's receipt, or
// ErrNotFound.
func (a *Adapter) Track(ctx context.Context, rc adapters.Receipt) (adapters.Receipt, error) {
	got, err := a.Receipt(ctx, rc.RecordID, rc.Digest)
	if errors.Is(err, adapters.ErrNotFound) && every(a.faults.TrackNeverGivesUp, a.count(&a.nTrack)) {
		rc.Status = adapters.StatusSubmitted // the fault: a write that will never land, reported pending
		return rc, nil
	}
	return got, err
}

func txID(r *schema.Record) string {
	h := sha256.Sum256([]byte(r.ID + "\x00" + string(r.Digest)))
	return "0x" + hex.EncodeToString(h[:])
}

func blockHash(n uint64, r *schema.Record) string {
	h := sha256.Sum256([]byte(strconv.FormatUint(n, 10) + "\x00" + string(r.Digest)))
	return "0x" + hex.EncodeToString(h[:])
}

// Read implements adapters.Adapter.
func (a *Adapter) Read(ctx context.Context, id string) (adapters.Entry, error) {
	if err := a.checkOpen(); err != nil {
		return adapters.Entry{}, err
	}
	l := a.ledger
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.down {
		return adapters.Entry{}, fmt.Errorf("memory: ledger is down: %w", adapters.ErrUnavailable)
	}
	i, ok := l.heads[id]
	if !ok {
		return adapters.Entry{}, fmt.Errorf("memory: record %s: %w", id, adapters.ErrNotFound)
	}
	return l.log[i], nil
}

// Receipt implements adapters.Adapter.
func (a *Adapter) Receipt(ctx context.Context, id string, digest schema.Digest) (adapters.Receipt, error) {
	if err := a.checkOpen(); err != nil {
		return adapters.Receipt{}, err
	}
	l := a.ledger
	l.mu.Lock()
	defer l.mu.Unlock()
	i, ok := l.versions[id+"\x00"+string(digest)]
	if !ok {
		return adapters.Receipt{}, fmt.Errorf("memory: record %s version %s: %w", id, digest, adapters.ErrNotFound)
	}
	return l.log[i].Receipt, nil
}

// Verify implements adapters.Verifier.
func (a *Adapter) Verify(ctx context.Context, r adapters.Receipt) (adapters.Verification, error) {
	got, err := a.Receipt(ctx, r.RecordID, r.Digest)
	if err != nil {
		return adapters.Verification{OK: false, Detail: err.Error()}, nil
	}
	ok := got.TxID == r.TxID && got.Block == r.Block && got.BlockHash == r.BlockHash
	detail := "transaction and block match"
	if !ok {
		detail = "receipt does not match the ledger's record of the write"
	}
	return adapters.Verification{OK: ok, Digest: got.Digest, Detail: detail, Confirmations: got.Confirmations}, nil
}

// Close implements adapters.Adapter.
func (a *Adapter) Close() error {
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	return nil
}

// Watch implements adapters.Watcher. The checkpoint is the number of log
// entries already delivered.
func (a *Adapter) Watch(ctx context.Context, from adapters.Checkpoint) iter.Seq2[adapters.Event, error] {
	return func(yield func(adapters.Event, error) bool) {
		pos := 0
		if from != "" {
			n, err := strconv.Atoi(string(from))
			if err != nil || n < 0 {
				yield(adapters.Event{}, fmt.Errorf("memory: bad checkpoint %q", from))
				return
			}
			pos = n
		}
		delivered := 0
		var held *adapters.Event // for the reorder fault
		for {
			l := a.ledger
			l.mu.Lock()
			batch := append([]adapters.Entry(nil), l.log[min(pos, len(l.log)):]...)
			changed := l.changed
			l.mu.Unlock()
			for _, e := range batch {
				pos++
				ev := adapters.Event{Kind: adapters.EventWritten, RecordID: e.RecordID, Type: e.Type, Issuer: e.Issuer,
					Digest: e.Digest, Supersedes: e.Supersedes, Receipt: e.Receipt, Checkpoint: adapters.Checkpoint(strconv.Itoa(pos))}
				delivered++
				switch {
				case every(a.faults.DropEvent, delivered):
					continue
				case every(a.faults.ReorderEvents, delivered) && held == nil:
					held = &ev
					continue
				}
				if !yield(ev, nil) {
					return
				}
				if held != nil {
					if !yield(*held, nil) {
						return
					}
					held = nil
				}
				if every(a.faults.DuplicateEvent, delivered) && !yield(ev, nil) {
					return
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-changed:
			}
		}
	}
}
