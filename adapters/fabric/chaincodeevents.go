package fabric

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"google.golang.org/grpc"

	"github.com/ledgergate/ledgergate/adapters"
)

// Defaults of StreamOptions.
const (
	DefaultStreamFailures   = 10                      // consecutive failed (re)connections
	DefaultStreamMaxBackoff = 2500 * time.Millisecond // longest wait between reconnections
	streamFirstBackoff      = 250 * time.Millisecond
)

// ChaincodeEvent is one chaincode event and the checkpoint that resumes
// just after it.
type ChaincodeEvent struct {
	*client.ChaincodeEvent
	// Checkpoint is "fabric1:<block>:<transaction id>" of this event: a
	// stream opened from it starts with the next event.
	Checkpoint adapters.Checkpoint
}

// StreamOptions tune ChaincodeEvents.
type StreamOptions struct {
	// StartBlock is where a stream from the empty checkpoint starts
	// (default 0, the channel's genesis block).
	StartBlock uint64
	// MaxFailures ends the stream with an error (wrapping
	// adapters.ErrUnavailable) after this many consecutive failed
	// (re)connections (default DefaultStreamFailures).
	MaxFailures int
	// MaxBackoff caps the wait between reconnections, which starts at
	// 250 ms and doubles (default DefaultStreamMaxBackoff).
	MaxBackoff time.Duration
}

// ChaincodeEvents streams the events of any chaincode on network, from a
// checkpoint, in ledger order, through the Gateway service
// (Network.ChaincodeEvents); it is what the adapter's Watch runs on, and
// what gateway/watch uses to follow a partner's own chaincode.
//
// Checkpoints are fabric-gateway's: the block number and the transaction
// id of the last delivered event, "fabric1:<block>:<transaction id>"
// (client.WithCheckpoint); the Gateway resumes just after that
// transaction, so a consumer that stores the checkpoint of each event it
// has handled neither loses nor duplicates events across restarts. The
// empty checkpoint starts at StartBlock. Only committed, valid
// transactions emit events, and Fabric has no reorganisations, so no
// event is ever retracted.
//
// A stream that breaks (peer restart, network failure) is reopened from
// the last yielded event's checkpoint after a backoff. The sequence ends
// when ctx ends or the consumer stops (no error), or with one error: a
// malformed checkpoint, or MaxFailures consecutive failed connections
// (the error then carries the Gateway's last status).
func ChaincodeEvents(ctx context.Context, network *client.Network, chaincode string, from adapters.Checkpoint, o StreamOptions) iter.Seq2[ChaincodeEvent, error] {
	if o.MaxFailures <= 0 {
		o.MaxFailures = DefaultStreamFailures
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultStreamMaxBackoff
	}
	return func(yield func(ChaincodeEvent, error) bool) {
		pos, ok, err := parseCheckpoint(from)
		if err != nil {
			yield(ChaincodeEvent{}, err)
			return
		}
		if !ok {
			pos = position{block: o.StartBlock}
		}
		failures := 0
		for {
			opt := client.WithCheckpoint(pos)
			if pos.txID == "" {
				opt = client.WithStartBlock(pos.block)
			}
			var stopped bool
			stopped, err = stream(ctx, network, chaincode, opt, func(ev *client.ChaincodeEvent) bool {
				failures = 0
				pos = position{block: ev.BlockNumber, txID: ev.TransactionID}
				return yield(ChaincodeEvent{ChaincodeEvent: ev, Checkpoint: pos.Checkpoint()}, nil)
			})
			if stopped || ctx.Err() != nil {
				return
			}
			if failures++; failures >= o.MaxFailures {
				yield(ChaincodeEvent{}, fmt.Errorf("fabric: events of chaincode %s from checkpoint %q: %d failed attempts: %w", chaincode, pos.Checkpoint(), failures, unavailable(describeErr(err))))
				return
			}
			wait := min(streamFirstBackoff<<min(failures-1, 16), o.MaxBackoff)
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return
			}
		}
	}
}

// stream opens one chaincode event stream and hands its events to yield
// until it ends (err says why) or yield returns false (stopped).
func stream(ctx context.Context, network *client.Network, chaincode string, opt client.ChaincodeEventsOption, yield func(*client.ChaincodeEvent) bool) (stopped bool, err error) {
	req, err := network.NewChaincodeEventsRequest(chaincode, opt)
	if err != nil {
		return false, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var last streamStatus
	events, err := req.Events(ctx, grpc.OnFinish(last.set))
	if err != nil {
		return false, err
	}
	for ev := range events {
		if !yield(ev) {
			// fabric-gateway's reader may be blocked handing over the
			// next event: take what it has until the cancelled stream
			// closes the channel.
			cancel()
			go func() {
				for range events {
				}
			}()
			return true, nil
		}
	}
	if err = last.get(); err == nil {
		err = errors.New("the stream ended")
	}
	return false, err
}

// streamStatus keeps the final status of an event stream (grpc.OnFinish
// runs on fabric-gateway's reader goroutine).
type streamStatus struct {
	mu  sync.Mutex
	err error
}

func (s *streamStatus) set(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = err
}

func (s *streamStatus) get() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// describeErr keeps a Gateway error's per-peer details in its message.
func describeErr(err error) error {
	if err == nil {
		return nil
	}
	return &gatewayError{err}
}
