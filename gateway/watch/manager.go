package watch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/ledgergate/ledgergate/gateway/events"
	"github.com/ledgergate/ledgergate/gateway/ingest"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/internal/ctxtime"
	"github.com/ledgergate/ledgergate/schema"
)

// Store is what watching needs from the store.
type Store interface {
	store.Checkpoints
	store.DeadLetters
	store.Leases
}

// SourceConfig is one watched source.
type SourceConfig struct {
	Name    string
	Source  Source
	Mapping *Mapping
	// Who the mapped records are submitted as: the partner account they
	// belong to (its routes apply) and the issuer it may write as; with
	// AnyIssuer the mapping may name any issuer.
	Submitter ingest.Submitter
}

// Manager runs the sources of one gateway instance.
type Manager struct {
	st      Store
	reg     *schema.Registry
	in      *ingest.Ingestor
	pub     events.Publisher
	log     *slog.Logger
	owner   string
	ttl     time.Duration
	sources map[string]*runner
}

// Options tune a Manager.
type Options struct {
	// Owner names this instance in leases (default random).
	Owner string
	// LeaseTTL: a source whose instance stops renewing is taken over
	// after this long (default 15 s); renewals happen every third of it.
	LeaseTTL time.Duration
	Logger   *slog.Logger
	// Publisher receives observed and dead-letter events (default none).
	Publisher events.Publisher
}

// NewManager returns a manager for the sources.
func NewManager(st Store, reg *schema.Registry, in *ingest.Ingestor, sources []SourceConfig, o Options) *Manager {
	m := &Manager{st: st, reg: reg, in: in, pub: o.Publisher, log: o.Logger, owner: o.Owner, ttl: o.LeaseTTL, sources: map[string]*runner{}}
	if m.owner == "" {
		m.owner = store.InstanceID("watch")
	}
	if m.ttl <= 0 {
		m.ttl = 15 * time.Second
	}
	if m.log == nil {
		m.log = slog.Default()
	}
	if m.pub == nil {
		m.pub = events.Discard
	}
	for _, sc := range sources {
		m.sources[sc.Name] = &runner{m: m, cfg: sc}
	}
	return m
}

// Owner is this instance's lease owner name.
func (m *Manager) Owner() string { return m.owner }

// Run watches every source this instance holds the lease of, until ctx
// ends; leases are released on the way out so another instance takes
// over at once.
func (m *Manager) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, r := range m.sources {
		wg.Go(func() { r.leaseLoop(ctx) })
	}
	wg.Wait()
	return nil
}

// SourceStatus is one source as GET /v1/sources shows it.
type SourceStatus struct {
	Name       string    `json:"name"`
	Kind       string    `json:"kind"`
	Checkpoint string    `json:"checkpoint"`
	LeaseOwner string    `json:"leaseOwner,omitempty"`
	LeaseUntil time.Time `json:"leaseUntil,omitzero"`
	// Watching is true when this instance watches it now.
	Watching    bool   `json:"watching"`
	Observed    int64  `json:"observed"`    // records accepted by this instance since start
	DeadLetters int64  `json:"deadLetters"` // items dead-lettered by this instance since start
	LastError   string `json:"lastError,omitempty"`
}

// Status reports every source.
func (m *Manager) Status(ctx context.Context) ([]SourceStatus, error) {
	out := []SourceStatus{}
	for name, r := range m.sources {
		cp, err := m.st.Checkpoint(ctx, leaseName(name))
		if err != nil {
			return nil, err
		}
		owner, until, err := m.st.LeaseHolder(ctx, leaseName(name))
		if err != nil {
			return nil, err
		}
		r.mu.Lock()
		st := SourceStatus{Name: name, Kind: r.cfg.Source.Kind(), Checkpoint: string(cp), LeaseOwner: owner, LeaseUntil: until,
			Watching: r.watching, Observed: r.observed, DeadLetters: r.dead, LastError: r.lastErr}
		r.mu.Unlock()
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// ErrUnknownSource: a dead letter names a source that is not configured.
var ErrUnknownSource = errors.New("unknown source")

// Retry maps a dead-lettered native payload again with the source's
// current mapping and accepts the result. On success the item is
// resolved; on failure it stays open with the new error (and counts
// another attempt), and the error is returned.
func (m *Manager) Retry(ctx context.Context, d store.DeadLetter) error {
	r := m.sources[d.Source]
	if r == nil {
		return fmt.Errorf("source %q: %w", d.Source, ErrUnknownSource)
	}
	var prov Provenance
	if len(d.Provenance) > 0 {
		if err := json.Unmarshal(d.Provenance, &prov); err != nil {
			return fmt.Errorf("dead letter %d: provenance: %w", d.ID, err)
		}
	}
	var payload any
	if err := json.Unmarshal(d.Payload, &payload); err != nil {
		return fmt.Errorf("dead letter %d: payload: %w", d.ID, err)
	}
	n := Native{Key: d.Key, Payload: payload, Provenance: prov}
	failure, err := r.process(ctx, n)
	if err != nil {
		return err
	}
	if failure != nil {
		return failure
	}
	return m.st.ResolveDeadLetter(ctx, d.ID)
}

func leaseName(source string) string { return "source:" + source }

type runner struct {
	m   *Manager
	cfg SourceConfig

	mu       sync.Mutex
	watching bool
	observed int64
	dead     int64
	lastErr  string
}

func (r *runner) setErr(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err == nil {
		r.lastErr = ""
	} else {
		r.lastErr = err.Error()
	}
}

// leaseLoop takes the source's lease when it is free, watches while it
// holds it, and lets go when it cannot renew it.
func (r *runner) leaseLoop(ctx context.Context) {
	m, name := r.m, leaseName(r.cfg.Name)
	for ctx.Err() == nil {
		ran, err := store.WithLease(ctx, m.st, name, m.owner, m.ttl, func(wctx context.Context) error {
			m.log.Info("watch: watching", "source", r.cfg.Name, "owner", m.owner)
			r.mu.Lock()
			r.watching = true
			r.mu.Unlock()
			err := r.watch(wctx)
			r.mu.Lock()
			r.watching = false
			r.mu.Unlock()
			if err == nil && wctx.Err() != nil && ctx.Err() == nil {
				m.log.Warn("watch: lease lost", "source", r.cfg.Name, "owner", m.owner)
			}
			return err
		})
		if ctx.Err() != nil {
			return // store.WithLease has released the lease
		}
		switch {
		case !ran:
			if err != nil {
				m.log.Warn("watch: lease", "source", r.cfg.Name, "err", err)
			}
			ctxtime.Sleep(ctx, m.ttl/3)
		case err != nil:
			r.setErr(err)
			m.log.Error("watch: source stopped; restarting", "source", r.cfg.Name, "err", err)
			ctxtime.Sleep(ctx, time.Second)
		}
	}
}

// watch streams the source from its checkpoint; it returns when ctx ends
// (nil) or on an error.
func (r *runner) watch(ctx context.Context) error {
	m, name := r.m, leaseName(r.cfg.Name)
	cp, err := m.st.Checkpoint(ctx, name)
	if err != nil {
		return err
	}
	for n, err := range r.cfg.Source.Watch(ctx, cp) {
		if err != nil {
			return err
		}
		if n.Key != "" {
			for {
				_, err := r.process(ctx, n)
				if err == nil {
					r.setErr(nil)
					break
				}
				if ctx.Err() != nil {
					return nil
				}
				// The store or ingest failed transiently: the event is
				// neither accepted nor dead-lettered; try it again.
				r.setErr(err)
				m.log.Warn("watch: process; retrying", "source", r.cfg.Name, "key", n.Key, "err", err)
				if !ctxtime.Sleep(ctx, time.Second) {
					return nil
				}
			}
		}
		if err := m.st.SetCheckpoint(ctx, name, n.Checkpoint); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
	return nil
}

// process maps and accepts one native event. failure is the reason the
// event was dead-lettered (nil when accepted or skipped); err is a
// transient failure (nothing stored, try again).
func (r *runner) process(ctx context.Context, n Native) (failure, err error) {
	m := r.m
	if n.Err != nil {
		return r.deadLetter(ctx, n, n.Raw, n.Err)
	}
	payload, _, err := normalize(n.Payload)
	if err != nil {
		return r.deadLetter(ctx, n, map[string]any{"unencodable": fmt.Sprint(n.Payload)}, err)
	}
	recs, err := r.cfg.Mapping.Apply(m.reg, payload, n.Provenance, n.Key)
	if err != nil {
		return r.deadLetter(ctx, n, payload, err)
	}
	for _, rec := range recs {
		res, err := m.in.SubmitRecord(ctx, r.cfg.Submitter, rec)
		switch {
		case errors.Is(err, ingest.ErrForbidden), errors.Is(err, ingest.ErrConflict), errors.Is(err, schema.ErrInvalid):
			return r.deadLetter(ctx, n, payload, err)
		case err != nil:
			return nil, err
		}
		if res.Existing {
			continue // seen before (a restart between accept and checkpoint)
		}
		r.mu.Lock()
		r.observed++
		r.mu.Unlock()
		prov, _ := json.Marshal(n.Provenance)
		ev, err := events.New(events.TypeObserved, events.Attrs{Partner: r.cfg.Submitter.Partner, RecordType: rec.Type, Ledger: n.Provenance.Ledger, Subject: rec.ID},
			events.RecordData{RecordID: rec.ID, Digest: string(rec.Digest), Type: rec.Type, Issuer: rec.Issuer.ID, Partner: r.cfg.Submitter.Partner,
				Supersedes: string(rec.Supersedes), Ledger: n.Provenance.Ledger, Source: r.cfg.Name, Provenance: prov})
		if err == nil {
			if err := m.pub.Publish(ctx, ev); err != nil {
				m.log.Warn("watch: publish observed", "source", r.cfg.Name, "err", err)
			}
		}
	}
	return nil, nil
}

func (r *runner) deadLetter(ctx context.Context, n Native, payload any, cause error) (failure, err error) {
	m := r.m
	b, err := json.Marshal(payload)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"unencodable": fmt.Sprint(payload)})
	}
	prov, _ := json.Marshal(n.Provenance)
	d, err := m.st.AddDeadLetter(ctx, store.DeadLetter{Kind: store.DeadLetterSource, Source: r.cfg.Name, Key: n.Key, Payload: b, Provenance: prov, Error: cause.Error()})
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.dead++
	r.mu.Unlock()
	m.log.Warn("watch: event dead-lettered", "source", r.cfg.Name, "key", n.Key, "id", d.ID, "err", cause)
	if ev, err := events.New(events.TypeDeadLettered, events.Attrs{Partner: r.cfg.Submitter.Partner, Ledger: n.Provenance.Ledger},
		events.DeadLetterData{ID: d.ID, Kind: d.Kind, Source: d.Source, Key: d.Key, Error: d.Error}); err == nil {
		_ = m.pub.Publish(ctx, ev)
	}
	return cause, nil
}
