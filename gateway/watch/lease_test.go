package watch_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/events"
	"github.com/ledgergate/ledgergate/gateway/ingest"
	"github.com/ledgergate/ledgergate/gateway/routing"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/watch"
	"github.com/ledgergate/ledgergate/internal/testenv"
	"github.com/ledgergate/ledgergate/schema"
)

// dying is a store an instance loses all contact with when it "dies"
// (no graceful release: its lease must expire).
type dying struct {
	watch.Store
	dead atomic.Bool
}

var errDead = errors.New("instance died")

func (d *dying) AcquireLease(ctx context.Context, name, owner string, ttl time.Duration) (bool, error) {
	if d.dead.Load() {
		return false, errDead
	}
	return d.Store.AcquireLease(ctx, name, owner, ttl)
}
func (d *dying) ReleaseLease(ctx context.Context, name, owner string) error {
	if d.dead.Load() {
		return errDead
	}
	return d.Store.ReleaseLease(ctx, name, owner)
}
func (d *dying) SetCheckpoint(ctx context.Context, s string, cp adapters.Checkpoint) error {
	if d.dead.Load() {
		return errDead
	}
	return d.Store.SetCheckpoint(ctx, s, cp)
}

// TestLeaseTakeover: two instances share a store; exactly one watches the
// source; when it dies without releasing, the other takes over after the
// lease expires and resumes from the checkpoint: every record observed
// exactly once.
func TestLeaseTakeover(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	fct := startPartnerFactom(t)
	st := testenv.SQLiteStore(t)
	reg, _ := schema.NewRegistry()
	router, err := routing.New(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	in := ingest.New(reg, st, router)
	prog, _ := os.ReadFile("testdata/postal.jq")
	bus := events.NewBus()
	obs := bus.Subscribe(events.Filter{Types: []string{events.TypeObserved}}, 0, false)
	manager := func(s watch.Store, owner string) *watch.Manager {
		src, err := watch.NewFactomSource(fct.c, watch.FactomConfig{Name: "post", ChainID: fct.chain.String(), Poll: 20 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		m, err := watch.CompileMapping(string(prog))
		if err != nil {
			t.Fatal(err)
		}
		return watch.NewManager(s, reg, in, []watch.SourceConfig{{Name: "post", Source: src, Mapping: m,
			Submitter: ingest.Submitter{Partner: "post", Issuer: "did:web:post.example"}}}, watch.Options{Owner: owner, LeaseTTL: time.Second, Publisher: bus, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	}
	s1 := &dying{Store: st}
	m1, m2 := manager(s1, "one"), manager(st, "two")
	c1, stop1 := context.WithCancel(ctx)
	defer stop1()
	done1 := make(chan struct{})
	go func() { _ = m1.Run(c1); close(done1) }()
	waitOwner(t, ctx, st, "one")
	done2 := make(chan struct{})
	go func() { _ = m2.Run(ctx); close(done2) }()

	seen := map[string]int{}
	observe := func(n int) {
		for range n {
			it, gap, err := obs.Next(ctx)
			if err != nil || gap != nil {
				t.Fatalf("observe: %v %v", err, gap)
			}
			seen[string(it.Data)]++
		}
	}
	fct.post(t, "RR473124829CN", "EMA", "2026-06-01T01:00:00+08:00")
	fct.post(t, "RR473124829CN", "EMB", "2026-06-01T02:00:00+08:00")
	observe(2)
	if owner, _, _ := st.LeaseHolder(ctx, "source:post"); owner != "one" {
		t.Fatalf("lease holder %q while one is alive", owner)
	}
	s1.dead.Store(true) // instance one dies: no renewal, no release
	waitOwner(t, ctx, st, "two")
	fct.post(t, "RR473124829CN", "EMC", "2026-06-01T03:00:00+08:00")
	observe(1)
	if len(seen) != 3 {
		t.Fatalf("seen %d distinct events, want 3", len(seen))
	}
	for ev, n := range seen {
		if n != 1 {
			t.Fatalf("seen %d times: %s", n, ev)
		}
	}
	stop1()
	<-done1
	cancel()
	<-done2
}

func waitOwner(t *testing.T, ctx context.Context, st store.Store, owner string) {
	t.Helper()
	for {
		got, until, err := st.(store.Leases).LeaseHolder(ctx, "source:post")
		if err != nil {
			t.Fatal(err)
		}
		if got == owner && until.After(time.Now()) {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("lease never went to %s (holder %q)", owner, got)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
