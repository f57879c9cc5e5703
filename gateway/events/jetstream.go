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
// events with the same sequence numbers (the stream's). It is a Log:
// subscriptions resume from any sequence the stream still retains, on any
// instance.
type JetStream struct {
	nc      *nats.Conn
	js      jetstream.JetStream
	stream  jetstream.Stream
	name    string
	subject string
	cc      jetstream.ConsumeContext
	log     *slog.Logger
}

var _ Log = (*JetStream)(nil)

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
		return nil, fmt.Errorf("events: jetstream: %w", err)
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
		return nil, fmt.Errorf("events: jetstream stream %s: %w", cfg.Stream, err)
	}
	last := info.State.LastSeq
	cons, err := stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{cfg.Subject}, DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: last + 1,
	})
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("events: jetstream consumer: %w", err)
	}
	j := &JetStream{nc: nc, js: js, stream: stream, name: cfg.Stream, subject: cfg.Subject, log: log}
	bus.SetBackend(j, last)
	j.cc, err = cons.Consume(func(msg jetstream.Msg) {
		seq, ev, err := j.decode(msg)
		if err != nil || ev == nil {
			return
		}
		_ = bus.Deliver(seq, *ev)
	})
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("events: jetstream consume: %w", err)
	}
	return j, nil
}

// decode returns a stream message's sequence and event; ev is nil (and
// logged) when the message is not a CloudEvent.
func (j *JetStream) decode(msg jetstream.Msg) (uint64, *cloudevents.Event, error) {
	md, err := msg.Metadata()
	if err != nil {
		return 0, nil, fmt.Errorf("events: jetstream message metadata: %w", err)
	}
	var ev cloudevents.Event
	if err := json.Unmarshal(msg.Data(), &ev); err != nil {
		j.log.Warn("events: jetstream: not a CloudEvent", "stream", j.name, "seq", md.Sequence.Stream, "err", err)
		return md.Sequence.Stream, nil, nil
	}
	return md.Sequence.Stream, &ev, nil
}

// Bounds implements Log: the stream's first and last sequence.
func (j *JetStream) Bounds(ctx context.Context) (first, last uint64, err error) {
	info, err := j.stream.Info(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("events: jetstream stream %s: %w", j.name, err)
	}
	return info.State.FirstSeq, info.State.LastSeq, nil
}

// Read implements Log with an ordered consumer (ephemeral, flow
// controlled, recreated by the client library from the last sequence it
// delivered if it misses messages) starting at sequence from.
func (j *JetStream) Read(ctx context.Context, from uint64) (LogReader, error) {
	cons, err := j.stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{j.subject}, DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: max(from, 1),
	})
	if err != nil {
		return nil, fmt.Errorf("events: jetstream %s: replay consumer from %d: %w", j.name, from, err)
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(256))
	if err != nil {
		return nil, fmt.Errorf("events: jetstream %s: replay from %d: %w", j.name, from, err)
	}
	return &jsReader{j: j, it: it}, nil
}

type jsReader struct {
	j  *JetStream
	it jetstream.MessagesContext
}

func (r *jsReader) Next(ctx context.Context) (uint64, *cloudevents.Event, error) {
	// The iterator does not take a context: stop it when ctx ends (it is
	// not used again after an error).
	stop := context.AfterFunc(ctx, r.it.Stop)
	msg, err := r.it.Next()
	if !stop() {
		return 0, nil, ctx.Err()
	}
	if err != nil {
		return 0, nil, fmt.Errorf("events: jetstream %s: replay: %w", r.j.name, err)
	}
	return r.j.decode(msg)
}

func (r *jsReader) Close() error {
	r.it.Stop()
	return nil
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
	if _, err = j.js.PublishMsg(ctx, msg, jetstream.WithMsgID(ev.ID())); err != nil {
		return fmt.Errorf("events: jetstream %s: publish %s: %w", j.name, ev.ID(), err)
	}
	return nil
}

// Close stops consuming and disconnects.
func (j *JetStream) Close() error {
	if j.cc != nil {
		j.cc.Stop()
	}
	j.nc.Close()
	return nil
}
