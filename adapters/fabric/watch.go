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
// event stream end a watch with an error.
const maxStreamFailures = 10

// Watch implements adapters.Watcher with the Gateway's chaincode events of
// the records chaincode. A checkpoint is the block and transaction id of
// the last delivered event (fabric-gateway's checkpoint); the Gateway
// resumes just after it. The empty checkpoint starts at WithStartBlock's
// block. A broken stream is reopened from the last checkpoint. Fabric has
// no reorganisations, so no event is ever retracted.
func (a *Adapter) Watch(ctx context.Context, from adapters.Checkpoint) iter.Seq2[adapters.Event, error] {
	return func(yield func(adapters.Event, error) bool) {
		pos, ok, err := parseCheckpoint(from)
		if err != nil {
			yield(adapters.Event{}, err)
			return
		}
		if !ok {
			pos = position{block: a.cfg.startBlock}
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go func() {
			select {
			case <-a.done:
				cancel()
			case <-ctx.Done():
			}
		}()
		failures := 0
		for {
			opt := client.WithCheckpoint(pos)
			if pos.txID == "" {
				opt = client.WithStartBlock(pos.block)
			}
			events, err := a.network.ChaincodeEvents(ctx, a.cfg.chaincode, opt)
			if err == nil {
				var stopped bool
				pos, stopped, err = a.deliver(ctx, events, pos, yield, &failures)
				if stopped {
					return
				}
			}
			if ctx.Err() != nil {
				if a.closed() {
					yield(adapters.Event{}, adapters.ErrClosed)
				}
				return
			}
			if failures++; failures >= maxStreamFailures {
				if err == nil {
					err = fmt.Errorf("the stream ended")
				}
				yield(adapters.Event{}, fmt.Errorf("fabric: chaincode events from %s: %d failed attempts: %w", pos.Checkpoint(), failures, unavailable(err)))
				return
			}
			select {
			case <-time.After(time.Duration(min(failures, 10)) * 250 * time.Millisecond):
			case <-ctx.Done():
			}
		}
	}
}

// deliver yields the events of one stream until it ends; stopped is true
// when the consumer stopped or an error was yielded.
func (a *Adapter) deliver(ctx context.Context, events <-chan *client.ChaincodeEvent, pos position, yield func(adapters.Event, error) bool, failures *int) (position, bool, error) {
	for ev := range events {
		*failures = 0
		next := position{block: ev.BlockNumber, txID: ev.TransactionID}
		if ev.EventName != EventName {
			pos = next
			continue
		}
		e, err := a.event(ctx, ev, next)
		if err != nil {
			if ctx.Err() != nil {
				return pos, false, nil
			}
			return pos, false, err // reopen from the previous position
		}
		if !yield(e, nil) {
			return next, true, nil
		}
		pos = next
	}
	return pos, false, nil
}

// event converts a RecordWritten chaincode event.
func (a *Adapter) event(ctx context.Context, ev *client.ChaincodeEvent, next position) (adapters.Event, error) {
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
		Checkpoint: next.Checkpoint(),
	}, nil
}
