package store

import (
	"context"
	"sync"
)

// AcceptRequest is one call's worth of Records.Accept: a version, its
// deliveries and its audit entry.
type AcceptRequest struct {
	Version    Version
	Deliveries []NewDelivery
	Audit      AuditEntry
}

// AcceptOutcome is what Accept returned for one request.
type AcceptOutcome struct {
	Result AcceptResult
	Err    error
}

// BatchAccepter is implemented by stores that take many accepts in one
// call (both built-in stores do). A batch of records then costs the
// caller one wait for the store's writer instead of one per record, and
// the writer is not raced by a goroutine per record for the CPU.
type BatchAccepter interface {
	// AcceptBatch has the effect of Accept called for each request:
	// requests for the same record id in their order, the others in any
	// order, each with its own outcome (one request's conflict or error
	// does not affect the others). It returns once every outcome is
	// known, outcomes[i] being reqs[i]'s. When ctx ends before a request
	// reached the store, that request's outcome is ctx's error and it is
	// not stored; requests already handed over are stored or refused as
	// usual.
	AcceptBatch(ctx context.Context, reqs []AcceptRequest) []AcceptOutcome
}

// acceptWorkers bounds AcceptAll's concurrent Accept calls on a store
// without AcceptBatch.
const acceptWorkers = 256

// AcceptAll accepts reqs through r, with AcceptBatch's semantics: in one
// AcceptBatch call when r implements BatchAccepter, else by concurrent
// Accept calls, those for one record id in their order. A single request
// is one Accept call.
func AcceptAll(ctx context.Context, r Records, reqs []AcceptRequest) []AcceptOutcome {
	if len(reqs) == 1 {
		res, err := r.Accept(ctx, reqs[0].Version, reqs[0].Deliveries, reqs[0].Audit)
		return []AcceptOutcome{{res, err}}
	}
	if b, ok := r.(BatchAccepter); ok {
		return b.AcceptBatch(ctx, reqs)
	}
	out := make([]AcceptOutcome, len(reqs))
	var order []string
	byID := map[string][]int{}
	for i, q := range reqs {
		id := q.Version.RecordID
		if _, seen := byID[id]; !seen {
			order = append(order, id)
		}
		byID[id] = append(byID[id], i)
	}
	next := make(chan []int)
	var wg sync.WaitGroup
	for range min(acceptWorkers, len(order)) {
		wg.Go(func() {
			for seq := range next {
				for _, i := range seq {
					q := reqs[i]
					res, err := r.Accept(ctx, q.Version, q.Deliveries, q.Audit)
					out[i] = AcceptOutcome{res, err}
				}
			}
		})
	}
	for _, id := range order {
		next <- byID[id]
	}
	close(next)
	wg.Wait()
	return out
}
