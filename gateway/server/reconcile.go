package server

import (
	"context"
	"errors"
	"time"

	"github.com/ledgergate/ledgergate/gateway/reconcile"
	"github.com/ledgergate/ledgergate/gateway/store"
)

// WithReconcileHook connects a callback to every discrepancy a
// reconciliation run opens or resolves (for example, to publish it as a
// CloudEvent). The hook runs on the reconciling goroutine; it must not
// block for long.
func WithReconcileHook(h reconcile.Hook) Option { return func(o *options) { o.hook = h } }

// Reconciler is the gateway's reconciliation engine (on-demand runs).
func (g *Gateway) Reconciler() *reconcile.Engine { return g.recon }

func (g *Gateway) newReconciler(hook reconcile.Hook) *reconcile.Engine {
	log := g.log
	return reconcile.New(reconcile.Config{
		Source: reconcile.StoreSource{Store: g.Store}, Ledgers: g.ledgers, Store: g.Store, Workers: g.cfg.Reconcile.Workers,
		Hook: func(ctx context.Context, ev reconcile.Event) {
			d := ev.Discrepancy
			log.Warn("reconcile: discrepancy "+string(ev.Kind), "id", d.ID, "record", d.RecordID, "ledger", d.Ledger, "verdict", d.Verdict, "version", d.Version, "fields", len(d.Fields), "reason", d.Reason)
			if hook != nil {
				hook(ctx, ev)
			}
		},
	})
}

// reconcileLoop runs incremental reconciliations every
// reconcile.interval and full ones every reconcile.fullInterval until
// ctx ends.
func (g *Gateway) reconcileLoop(ctx context.Context) {
	rc := g.cfg.Reconcile
	if rc.Interval <= 0 && rc.FullInterval <= 0 {
		return
	}
	tick := func(d time.Duration) <-chan time.Time {
		if d <= 0 {
			return nil
		}
		t := time.NewTicker(d)
		go func() { <-ctx.Done(); t.Stop() }()
		return t.C
	}
	inc, full := tick(rc.Interval), tick(rc.FullInterval)
	owner := store.InstanceID("reconcile")
	for {
		opts := reconcile.Options{}
		select {
		case <-ctx.Done():
			return
		case <-inc:
			opts.Incremental = true
		case <-full:
		}
		rep, err := g.runReconcile(ctx, owner, opts)
		switch {
		case errors.Is(err, ErrReconcileBusy):
			g.log.Debug("reconcile: another instance is reconciling; skipped")
		case err != nil:
			if ctx.Err() == nil {
				g.log.Error("reconcile", "err", err)
			}
		default:
			g.log.Info("reconcile: "+rep.Summary(), "records", rep.Records, "opened", rep.Opened, "resolved", rep.Resolved)
		}
	}
}

// ErrReconcileBusy: another full or incremental reconciliation holds the
// store's reconcile lease.
var ErrReconcileBusy = errors.New("another reconciliation is running on this store")

// Reconcile runs a reconciliation. Full and incremental runs take the
// store's reconcile lease first, so they never overlap another one —
// periodic runs of any gateway instance, or another command — which would
// open the same discrepancies twice and race on the cursor; when it is
// held the error is ErrReconcileBusy. Runs of named records need no lease.
func (g *Gateway) Reconcile(ctx context.Context, opts reconcile.Options) (*reconcile.Report, error) {
	return g.runReconcile(ctx, store.InstanceID("reconcile"), opts)
}

func (g *Gateway) runReconcile(ctx context.Context, owner string, opts reconcile.Options) (*reconcile.Report, error) {
	if len(opts.RecordIDs) > 0 {
		return g.recon.Run(ctx, opts)
	}
	var rep *reconcile.Report
	ran, err := exclusive(ctx, g.Store, reconcileLease, owner, reconcileLeaseTTL, func(ctx context.Context) error {
		var err error
		rep, err = g.recon.Run(ctx, opts)
		return err
	})
	if err == nil && !ran {
		return nil, ErrReconcileBusy
	}
	return rep, err
}

// The lease that makes one instance run each periodic reconciliation.
const (
	reconcileLease    = "reconcile"
	reconcileLeaseTTL = 30 * time.Second
)
