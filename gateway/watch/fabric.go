package watch

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/fabric"
)

var _ Source = (*FabricSource)(nil)

// FabricSource watches the chaincode events of one chaincode on a Fabric
// channel, through a peer's Gateway service (fabric-gateway's
// ChaincodeEvents, as adapters/fabric follows the gateway's own
// chaincode). Only committed, valid transactions emit events, and Fabric
// has no reorganisations: an event seen is final.
type FabricSource struct {
	network    *client.Network
	name       string
	channel    string
	chaincode  string
	events     []string
	startBlock uint64
	maxBackoff time.Duration
}

// FabricConfig configures a FabricSource.
type FabricConfig struct {
	Name      string
	Channel   string
	Chaincode string
	// Events are the chaincode event names to map. Other events of the
	// chaincode are skipped (the checkpoint still moves past them). Empty:
	// every event.
	Events []string
	// StartBlock is where an unwatched source starts (default 0, the
	// channel's genesis block).
	StartBlock uint64
	// MaxBackoff caps the wait between reconnections of a broken event
	// stream (default 30 s).
	MaxBackoff time.Duration
}

// NewFabricSource returns the source. gw is a connection to a peer of
// the channel as an identity the channel's Readers policy admits
// (fabric.Connect opens one from a fabric.Config); the caller closes it.
func NewFabricSource(gw *client.Gateway, cfg FabricConfig) (*FabricSource, error) {
	if gw == nil {
		return nil, fmt.Errorf("source %s: no Fabric gateway connection", cfg.Name)
	}
	if cfg.Channel == "" || cfg.Chaincode == "" {
		return nil, fmt.Errorf("source %s: channel and chaincode are required", cfg.Name)
	}
	for _, e := range cfg.Events {
		if e == "" {
			return nil, fmt.Errorf("source %s: empty event name", cfg.Name)
		}
	}
	s := &FabricSource{network: gw.GetNetwork(cfg.Channel), name: cfg.Name, channel: cfg.Channel, chaincode: cfg.Chaincode,
		events: slices.Clone(cfg.Events), startBlock: cfg.StartBlock, maxBackoff: cfg.MaxBackoff}
	if s.maxBackoff <= 0 {
		s.maxBackoff = 30 * time.Second
	}
	return s, nil
}

// Kind implements Source.
func (s *FabricSource) Kind() string { return "fabric" }

// Watch implements Source. Checkpoints are fabric-gateway's block number
// and transaction id, "fabric1:<block>:<transaction id>" (the adapter's
// format): the stream resumes just after that transaction. A broken
// stream is reopened from the last checkpoint with a growing backoff;
// after fabric.DefaultStreamFailures consecutive failed connections the
// Gateway's error is yielded (the manager records it and restarts the
// source from its stored checkpoint).
func (s *FabricSource) Watch(ctx context.Context, from adapters.Checkpoint) iter.Seq2[Native, error] {
	return func(yield func(Native, error) bool) {
		stream := fabric.ChaincodeEvents(ctx, s.network, s.chaincode, from, fabric.StreamOptions{StartBlock: s.startBlock, MaxBackoff: s.maxBackoff})
		for ev, err := range stream {
			if err != nil {
				yield(Native{}, fmt.Errorf("source %s: %w", s.name, err))
				return
			}
			n := Native{Checkpoint: ev.Checkpoint} // a bare checkpoint past a filtered-out event
			if len(s.events) == 0 || slices.Contains(s.events, ev.EventName) {
				n = s.native(ev)
			}
			if !yield(n, nil) {
				return
			}
		}
	}
}

// ErrNotJSON: a chaincode event's payload is not JSON.
var ErrNotJSON = errors.New("payload is not JSON")

// native decodes one chaincode event. The mapping's input is the payload
// parsed as JSON; a payload that is not JSON is an error, with the payload
// kept (as text, or 0x-hex when not UTF-8) for the dead letter.
func (s *FabricSource) native(ev fabric.ChaincodeEvent) Native {
	n := Native{
		// Fabric allows one chaincode event per transaction.
		Key: ev.TransactionID,
		Provenance: Provenance{Source: s.name, Ledger: "fabric", Channel: s.channel, Chaincode: s.chaincode,
			Event: ev.EventName, TxID: ev.TransactionID, Block: ev.BlockNumber},
		Checkpoint: ev.Checkpoint,
	}
	var payload any
	if err := json.Unmarshal(ev.Payload, &payload); err != nil {
		raw := "0x" + hex.EncodeToString(ev.Payload)
		if utf8.Valid(ev.Payload) {
			raw = string(ev.Payload)
		}
		n.Err = fmt.Errorf("%s event of transaction %s: %w: %v", ev.EventName, ev.TransactionID, ErrNotJSON, err)
		n.Raw = map[string]any{"payload": raw}
		return n
	}
	n.Payload = payload
	return n
}
