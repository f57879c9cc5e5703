package server

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/ledgergate/ledgergate/adapters/fabric"
	"github.com/ledgergate/ledgergate/adapters/factom/client"
	"github.com/ledgergate/ledgergate/gateway/api"
	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/events"
	"github.com/ledgergate/ledgergate/gateway/ingest"
	"github.com/ledgergate/ledgergate/gateway/relay"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/watch"
	"github.com/ledgergate/ledgergate/internal/config"
)

// streaming is the gateway's live-event and watching machinery.
type streaming struct {
	bus      *events.Bus
	webhooks *events.Webhooks
	sources  *watch.Manager
}

// Events publishes gateway events (for example discrepancies found by
// reconciliation: events.Discrepancy(...)). Never nil after New.
func (g *Gateway) Events() events.Publisher {
	if g.streaming.bus == nil {
		return events.Discard
	}
	return g.streaming.bus
}

// Bus is the gateway's event bus (tests, benchmarks).
func (g *Gateway) Bus() *events.Bus { return g.streaming.bus }

// SourcesManager runs the watched sources (nil when none are configured).
func (g *Gateway) SourcesManager() *watch.Manager { return g.streaming.sources }

// setupStreaming builds the bus, NATS, webhooks and sources, hooks the
// bus to the ingestor, and returns the relay option and the API's view.
func (g *Gateway) setupStreaming(ctx context.Context, cfg *config.Config, accounts []auth.Account, getenv func(string) string) (relay.Option, api.Streaming, error) {
	ec := cfg.Events
	bus := events.NewBus(events.WithRingSize(ec.RingSize))
	g.streaming.bus = bus
	g.closers = append(g.closers, func() { _ = bus.Close() })
	if ec.NATS != nil {
		js, err := events.OpenJetStream(ctx, events.JetStreamConfig{URL: ec.NATS.URL, Stream: ec.NATS.Stream, Subject: ec.NATS.Subject, MaxMsgs: ec.NATS.MaxMsgs}, bus, g.log)
		if err != nil {
			return nil, api.Streaming{}, err
		}
		g.closers = append(g.closers, func() { _ = js.Close() })
	}
	pub := func(typ string, a events.Attrs, data any) {
		ev, err := events.New(typ, a, data)
		if err == nil {
			err = bus.Publish(context.Background(), ev)
		}
		if err != nil {
			g.log.Warn("events: publish", "type", typ, "err", err)
		}
	}
	g.Ingest.OnAccept(func(who ingest.Submitter, r ingest.Result) {
		v := r.Version
		pub(events.TypeAccepted, events.Attrs{Partner: v.Partner, RecordType: v.Type, Subject: v.RecordID},
			events.RecordData{RecordID: v.RecordID, Digest: string(v.Digest), Type: v.Type, Issuer: v.Issuer, Partner: v.Partner, Supersedes: string(v.Supersedes)})
	})
	st := g.Store
	onChange := relay.OnChange(func(c relay.Change) {
		d := c.Delivery
		typ := deliveryEventType(d.State)
		if typ == "" || d.State == c.Previous {
			return
		}
		var partner, rt string
		if v, err := st.Version(context.Background(), d.RecordID, d.Digest); err == nil {
			partner, rt = v.Partner, v.Type
		}
		var receipt json.RawMessage
		if d.Receipt != nil {
			receipt, _ = json.Marshal(d.Receipt)
		}
		pub(typ, events.Attrs{Partner: partner, RecordType: rt, Ledger: d.Ledger, Subject: d.RecordID},
			events.RecordData{RecordID: d.RecordID, Digest: string(d.Digest), Type: rt, Partner: partner, Ledger: d.Ledger,
				State: d.State, Previous: c.Previous, Attempts: d.Attempts, Error: d.Error, Receipt: receipt})
	})
	view := api.Streaming{Bus: bus}
	if dl, ok := st.(store.DeadLetters); ok {
		view.DeadLetters = dl
	}
	wst, ok := st.(watch.Store)
	if !ok && (len(cfg.Sources) > 0 || len(ec.Webhooks) > 0) {
		return nil, api.Streaming{}, fmt.Errorf("the %s store does not support sources and webhooks", cfg.Store.Driver)
	}
	if len(ec.Webhooks) > 0 {
		var hooks []events.Webhook
		for _, w := range ec.Webhooks {
			secret, err := webhookSecret(w, getenv)
			if err != nil {
				return nil, api.Streaming{}, err
			}
			hooks = append(hooks, events.Webhook{Name: w.Name, URL: w.URL, Secret: secret,
				Filter:      events.Filter{Types: w.Types, Partner: w.Partner, RecordType: w.RecordType},
				MaxAttempts: w.MaxAttempts, BackoffBase: w.Backoff})
		}
		g.streaming.webhooks = events.NewWebhooks(bus, wst, hooks, g.log, bus)
		view.Webhooks = g.streaming.webhooks
	}
	if len(cfg.Sources) > 0 {
		issuers := map[string]string{}
		for _, a := range accounts {
			issuers[a.ID] = a.Issuer
		}
		var scs []watch.SourceConfig
		for _, s := range cfg.Sources {
			sc, err := g.openSource(ctx, s)
			if err != nil {
				return nil, api.Streaming{}, err
			}
			sc.Submitter = ingest.Submitter{Partner: s.Partner, Issuer: issuers[s.Partner], AnyIssuer: s.AnyIssuer}
			scs = append(scs, sc)
		}
		g.streaming.sources = watch.NewManager(wst, g.Registry, g.Ingest, scs, watch.Options{LeaseTTL: ec.LeaseTTL, Logger: g.log, Publisher: bus})
		view.Sources = g.streaming.sources
	}
	return onChange, view, nil
}

func deliveryEventType(state string) string {
	switch state {
	case store.StateSubmitted:
		return events.TypeSubmitted
	case store.StateCommitted:
		return events.TypeCommitted
	case store.StateConfirmed:
		return events.TypeConfirmed
	case store.StateFailed:
		return events.TypeFailed
	}
	return ""
}

func webhookSecret(w config.Webhook, getenv func(string) string) ([]byte, error) {
	if w.SecretFile != "" {
		b, err := os.ReadFile(w.SecretFile)
		if err != nil {
			return nil, fmt.Errorf("webhook %s: %w", w.Name, err)
		}
		return []byte(strings.TrimSpace(string(b))), nil
	}
	env := "LEDGERGATE_WEBHOOK_" + envName(w.Name) + "_SECRET"
	if v := getenv(env); v != "" {
		return []byte(v), nil
	}
	return nil, fmt.Errorf("webhook %s: no secret: set secretFile or %s", w.Name, env)
}

func (g *Gateway) openSource(ctx context.Context, s config.Source) (watch.SourceConfig, error) {
	prog := s.Mapping
	if s.MappingFile != "" {
		b, err := os.ReadFile(s.MappingFile)
		if err != nil {
			return watch.SourceConfig{}, fmt.Errorf("source %s: %w", s.Name, err)
		}
		prog = string(b)
	}
	m, err := watch.CompileMapping(prog)
	if err != nil {
		return watch.SourceConfig{}, fmt.Errorf("source %s: %w", s.Name, err)
	}
	sc := watch.SourceConfig{Name: s.Name, Mapping: m}
	switch s.Kind {
	case "ethereum":
		abiJSON, err := os.ReadFile(s.ABI)
		if err != nil {
			return sc, fmt.Errorf("source %s: abi: %w", s.Name, err)
		}
		dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		c, err := ethclient.DialContext(dctx, s.RPC)
		if err != nil {
			return sc, fmt.Errorf("source %s: %w", s.Name, err)
		}
		g.closers = append(g.closers, c.Close)
		network := ""
		if id, err := c.ChainID(dctx); err == nil {
			network = id.String()
		}
		sc.Source, err = watch.NewEthereumSource(c, watch.EthereumConfig{Name: s.Name, Network: network, Contract: s.Contract, ABI: abiJSON,
			Event: s.Event, FromBlock: s.FromBlock, Confirmations: s.Confirmations, Poll: s.Poll})
		if err != nil {
			return sc, err
		}
	case "factom":
		sc.Source, err = watch.NewFactomSource(client.New(s.URL), watch.FactomConfig{Name: s.Name, Network: s.URL, ChainID: s.ChainID, FromHeight: s.FromHeight, Poll: s.Poll})
		if err != nil {
			return sc, err
		}
	case "fabric":
		gw, closeFn, err := fabric.Connect(fabric.Config{Endpoint: s.Peer, TLSCACert: s.TLSCACert, ServerName: s.ServerName,
			MSPID: s.MSPID, CertPath: s.CertFile, KeyPath: s.KeyFile})
		if err != nil {
			return sc, fmt.Errorf("source %s: %w", s.Name, err)
		}
		g.closers = append(g.closers, func() { _ = closeFn() })
		sc.Source, err = watch.NewFabricSource(gw, watch.FabricConfig{Name: s.Name, Channel: s.Channel, Chaincode: s.Chaincode,
			Events: s.EventNames(), StartBlock: s.FromBlock})
		if err != nil {
			return sc, err
		}
	default:
		return sc, fmt.Errorf("source %s: unknown kind %q", s.Name, s.Kind)
	}
	return sc, nil
}
