package events

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	cloudevents "github.com/cloudevents/sdk-go/v2"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// JetStreamConfig names the shared stream.
type JetStreamConfig struct {
	URL     string // default nats://127.0.0.1:4222
	Stream  string // default LEDGERGATE_EVENTS
	Subject string // default ledgergate.events
	MaxMsgs int64  // default 1000000
}

// JetStream is a Backend on a NATS JetStream stream: every instance
// publishes its events to the stream (CloudEvents NATS binding,
// structured mode: the message body is the event's JSON and the
// Content-Type header application/cloudevents+json; the event id is the
// JetStream message id, so a repeated publish is deduplicated) and reads
// the whole stream back in order, so all instances deliver the same
// events with the same sequence numbers (the stream's).
type JetStream struct {
	nc      *nats.Conn
	js      jetstream.JetStream
	subject string
	cc      jetstream.ConsumeContext
	log     *slog.Logger
}

// OpenJetStream connects, creates or updates the stream, makes it bus's
// backend and starts consuming new events into bus.
func OpenJetStream(ctx context.Context, cfg JetStreamConfig, bus *Bus, log *slog.Logger) (*JetStream, error) {
	if cfg.URL == "" {
		cfg.URL = nats.DefaultURL
	}
	if cfg.Stream == "" {
		cfg.Stream = "LEDGERGATE_EVENTS"
	}
	if cfg.Subject == "" {
		cfg.Subject = "ledgergate.events"
	}
	if cfg.MaxMsgs <= 0 {
		cfg.MaxMsgs = 1_000_000
	}
	if log == nil {
		log = slog.Default()
	}
	nc, err := nats.Connect(cfg.URL, nats.Name("ledgergate"), nats.MaxReconnects(-1), nats.Timeout(5*time.Second))
	if err != nil {
		return nil, fmt.Errorf("events: nats %s: %w", cfg.URL, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, err
	}
	stream, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: cfg.Stream, Subjects: []string{cfg.Subject}, MaxMsgs: cfg.MaxMsgs, Discard: jetstream.DiscardOld,
		Storage: jetstream.FileStorage, Duplicates: 2 * time.Minute,
	})
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("events: jetstream stream %s: %w", cfg.Stream, err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		nc.Close()
		return nil, err
	}
	last := info.State.LastSeq
	cons, err := stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{cfg.Subject}, DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: last + 1,
	})
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("events: jetstream consumer: %w", err)
	}
	j := &JetStream{nc: nc, js: js, subject: cfg.Subject, log: log}
	bus.SetBackend(j, last)
	j.cc, err = cons.Consume(func(msg jetstream.Msg) {
		md, err := msg.Metadata()
		if err != nil {
			return
		}
		var ev cloudevents.Event
		if err := json.Unmarshal(msg.Data(), &ev); err != nil {
			log.Warn("events: jetstream: not a CloudEvent", "seq", md.Sequence.Stream, "err", err)
			return
		}
		_ = bus.Deliver(md.Sequence.Stream, ev)
	})
	if err != nil {
		nc.Close()
		return nil, err
	}
	return j, nil
}

// Publish implements Backend.
func (j *JetStream) Publish(ctx context.Context, ev cloudevents.Event) error {
	data, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	msg := nats.NewMsg(j.subject)
	msg.Header.Set("Content-Type", "application/cloudevents+json")
	msg.Data = data
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err = j.js.PublishMsg(ctx, msg, jetstream.WithMsgID(ev.ID()))
	return err
}

// Close stops consuming and disconnects.
func (j *JetStream) Close() error {
	if j.cc != nil {
		j.cc.Stop()
	}
	j.nc.Close()
	return nil
}
