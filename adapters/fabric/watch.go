package fabric

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/schema"
)

// maxStreamFailures is how many consecutive failed (re)connections of the
// event stream, or failed conversions of one event, end a watch with an
// error.
const maxStreamFailures = DefaultStreamFailures

// Watch implements adapters.Watcher with the Gateway's chaincode events of
// the records chaincode (ChaincodeEvents). A checkpoint is the block and
// transaction id of the last delivered event (fabric-gateway's
// checkpoint); the Gateway resumes just after it. The empty checkpoint
// starts at WithStartBlock's block. A broken stream is reopened from the
// last checkpoint. Fabric has no reorganisations, so no event is ever
// retracted.
func (a *Adapter) Watch(ctx context.Context, from adapters.Checkpoint) iter.Seq2[adapters.Event, error] {
	return func(yield func(adapters.Event, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go func() {
			select {
			case <-a.done:
				cancel()
			case <-ctx.Done():
			}
		}()
		stream := ChaincodeEvents(ctx, a.network, a.cfg.chaincode, from, StreamOptions{StartBlock: a.cfg.startBlock, MaxFailures: maxStreamFailures})
		for ev, err := range stream {
			if err != nil {
				yield(adapters.Event{}, err)
				return
			}
			if ev.EventName != EventName {
				continue
			}
			e, err := a.eventRetrying(ctx, ev)
			if err != nil {
				if ctx.Err() == nil {
					yield(adapters.Event{}, err)
					return
				}
				break
			}
			if !yield(e, nil) {
				return
			}
		}
		if a.closed() {
			yield(adapters.Event{}, adapters.ErrClosed)
		}
	}
}

// eventRetrying converts an event, retrying while reading its block
// fails (up to maxStreamFailures attempts).
func (a *Adapter) eventRetrying(ctx context.Context, ev ChaincodeEvent) (adapters.Event, error) {
	for attempt := 1; ; attempt++ {
		e, err := a.event(ctx, ev.ChaincodeEvent, ev.Checkpoint)
		if err == nil || ctx.Err() != nil {
			return e, err
		}
		if attempt >= maxStreamFailures {
			return adapters.Event{}, fmt.Errorf("fabric: %d failed attempts: %w", attempt, unavailable(err))
		}
		select {
		case <-time.After(min(streamFirstBackoff<<(attempt-1), DefaultStreamMaxBackoff)):
		case <-ctx.Done():
			return adapters.Event{}, ctx.Err()
		}
	}
}

// event converts a RecordWritten chaincode event.
func (a *Adapter) event(ctx context.Context, ev *client.ChaincodeEvent, cp adapters.Checkpoint) (adapters.Event, error) {
	var p chaincodeEvent
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return adapters.Event{}, fmt.Errorf("event of transaction %s: %w", ev.TransactionID, err)
	}
	b, err := a.block(ctx, ev.BlockNumber)
	if err != nil {
		return adapters.Event{}, fmt.Errorf("block %d of transaction %s: %w", ev.BlockNumber, ev.TransactionID, err)
	}
	v := &version{ID: p.ID, Type: p.Type, Issuer: p.Issuer, Digest: p.Digest, Supersedes: p.Supersedes, Disclosure: p.Disclosure, TxID: ev.TransactionID}
	rc, _, err := a.receipt(v, b)
	if err != nil {
		return adapters.Event{}, err
	}
	return adapters.Event{
		Kind:       adapters.EventWritten,
		RecordID:   p.ID,
		Type:       p.Type,
		Issuer:     p.Issuer,
		Digest:     schema.Digest(p.Digest),
		Supersedes: schema.Digest(p.Supersedes),
		Receipt:    rc,
		Checkpoint: cp,
	}, nil
}
