package events

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/internal/ctxtime"
)

// SignatureHeader carries a webhook delivery's signature:
// "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>".
const SignatureHeader = "Ledgergate-Signature"

// Sign returns the SignatureHeader value for body at time t.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte("."))
	m.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(m.Sum(nil))
}

// Webhook is one HTTP endpoint that receives events.
type Webhook struct {
	Name   string
	URL    string
	Secret []byte
	Filter Filter
	// MaxAttempts per event before it is dead-lettered (default 8);
	// attempts are spaced BackoffBase doubled each time, capped at
	// BackoffMax, with jitter (defaults 500 ms and 1 min).
	MaxAttempts int
	BackoffBase time.Duration
	BackoffMax  time.Duration
	Timeout     time.Duration // per attempt (default 10 s)
}

// WebhookStore is what webhooks need from the store: their positions in
// the event stream and the dead-letter list.
type WebhookStore interface {
	store.Checkpoints
	store.DeadLetters
	store.Leases
}

// webhookLeaseTTL: with several gateway instances, one delivers to each
// webhook (lease "webhook:<name>"); another takes over this long after it
// stops renewing, from the stored position.
const webhookLeaseTTL = 15 * time.Second

// Webhooks delivers bus events to webhooks, each in order, over the
// CloudEvents HTTP binding in structured mode (the body is the event's
// JSON, Content-Type application/cloudevents+json), signed with the
// webhook's secret.
type Webhooks struct {
	owner  string // this instance, in the webhooks' leases
	ttl    time.Duration
	bus    *Bus
	st     WebhookStore
	hooks  map[string]*Webhook
	client *http.Client
	log    *slog.Logger
	pub    Publisher
}

// NewWebhooks returns the webhook deliverer. pub (may be nil) receives a
// TypeDeadLettered event when an event is dead-lettered.
func NewWebhooks(bus *Bus, st WebhookStore, hooks []Webhook, log *slog.Logger, pub Publisher) *Webhooks {
	w := &Webhooks{owner: store.InstanceID("webhooks"), ttl: webhookLeaseTTL, bus: bus, st: st, hooks: map[string]*Webhook{}, client: &http.Client{}, log: log, pub: pub}
	if w.log == nil {
		w.log = slog.Default()
	}
	for i := range hooks {
		h := hooks[i]
		if h.MaxAttempts <= 0 {
			h.MaxAttempts = 8
		}
		if h.BackoffBase <= 0 {
			h.BackoffBase = 500 * time.Millisecond
		}
		if h.BackoffMax <= 0 {
			h.BackoffMax = time.Minute
		}
		if h.Timeout <= 0 {
			h.Timeout = 10 * time.Second
		}
		w.hooks[h.Name] = &h
	}
	return w
}

func checkpointName(hook string) string { return "webhook:" + hook }

// Run delivers until ctx ends. Each webhook resumes after the last event
// it delivered (or dead-lettered) before a restart, as far as the bus's
// replay ring reaches or, with NATS, the stream retains; events no longer
// retained are dead-lettered as a gap.
//
// Gateway instances sharing a store take turns: each webhook is delivered
// by the instance holding its lease, so an event reaches it once however
// many instances see it (over NATS every instance sees every event).
func (w *Webhooks) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, h := range w.hooks {
		wg.Go(func() { w.leased(ctx, h) })
	}
	wg.Wait()
	return nil
}

// leased delivers to h whenever this instance holds h's lease.
func (w *Webhooks) leased(ctx context.Context, h *Webhook) {
	name := checkpointName(h.Name)
	for ctx.Err() == nil { // store.WithLease releases the lease when a turn ends
		ran, err := store.WithLease(ctx, w.st, name, w.owner, w.ttl, func(ctx context.Context) error {
			w.run(ctx, h)
			return nil
		})
		if err != nil && ctx.Err() == nil {
			w.log.Warn("webhook: lease", "webhook", h.Name, "err", err)
		}
		if !ran || err != nil {
			ctxtime.Sleep(ctx, w.ttl/3)
		}
	}
}

func (w *Webhooks) run(ctx context.Context, h *Webhook) {
	cp, err := w.st.Checkpoint(ctx, checkpointName(h.Name))
	if err != nil {
		w.log.Error("webhook: read position", "webhook", h.Name, "err", err)
	}
	after, perr := strconv.ParseUint(string(cp), 10, 64)
	sub := w.bus.Subscribe(h.Filter, after, cp != "" && perr == nil)
	defer func() { _ = sub.Close() }()
	retry := time.Second
	for {
		it, gap, err := sub.Next(ctx)
		switch {
		case err == nil:
			retry = time.Second
		case ctx.Err() != nil || errors.Is(err, ErrClosed):
			return
		case errors.Is(err, ErrUnknownSequence):
			// The stored position is not in this stream: go on with the
			// live events (from before the dead letter is written), and say
			// so.
			_ = sub.Close()
			sub = w.bus.Subscribe(h.Filter, 0, false)
			w.deadLetter(ctx, h, fmt.Sprintf("gap:%d-", after), []byte(fmt.Sprintf(`{"from":%d}`, after+1)), err)
			continue
		default:
			// Reading the shared log failed (NATS unreachable): the
			// position is kept; try again.
			w.log.Warn("webhook: read events", "webhook", h.Name, "after", sub.Position(), "err", err, "retry", retry)
			if !ctxtime.Sleep(ctx, retry) {
				return
			}
			retry = min(2*retry, 30*time.Second)
			continue
		}
		switch {
		case gap != nil:
			w.deadLetter(ctx, h, fmt.Sprintf("gap:%d-%d", gap.From, gap.To), []byte(fmt.Sprintf(`{"from":%d,"to":%d}`, gap.From, gap.To)),
				errors.New("events were no longer retained (replay ring, NATS stream) when they were to be delivered"))
		default:
			if err := w.deliver(ctx, h, it.Data); err != nil {
				if ctx.Err() != nil {
					return // not delivered; resumes here after a restart
				}
				w.deadLetter(ctx, h, strconv.FormatUint(it.Seq, 10), it.Data, err)
			}
		}
		// Stored even if ctx has just ended (shutdown, lease handed over):
		// the event is done, and whoever delivers next starts after it.
		if err := w.st.SetCheckpoint(context.WithoutCancel(ctx), checkpointName(h.Name), adapters.Checkpoint(strconv.FormatUint(sub.Position(), 10))); err != nil {
			w.log.Error("webhook: store position", "webhook", h.Name, "err", err)
		}
	}
}

// errPermanent: the endpoint refused the event in a way retries will not fix.
type errPermanent struct{ error }

func (w *Webhooks) deliver(ctx context.Context, h *Webhook, body []byte) error {
	var err error
	for attempt := 1; attempt <= h.MaxAttempts; attempt++ {
		// An attempt under way is finished (within h.Timeout) even when
		// ctx ends, so a shutdown or hand-over does not cut a POST the
		// endpoint may already have taken; no new attempt starts then.
		if err = w.send(context.WithoutCancel(ctx), h, body); err == nil {
			return nil
		}
		var perm errPermanent
		if errors.As(err, &perm) || attempt == h.MaxAttempts {
			break
		}
		d := min(h.BackoffMax, h.BackoffBase<<(attempt-1))
		d = d/2 + rand.N(d/2+1)
		if !ctxtime.Sleep(ctx, d) {
			return ctx.Err()
		}
	}
	return err
}

func (w *Webhooks) send(ctx context.Context, h *Webhook, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, h.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return errPermanent{err}
	}
	req.Header.Set("Content-Type", "application/cloudevents+json; charset=utf-8")
	req.Header.Set(SignatureHeader, Sign(h.Secret, time.Now(), body))
	resp, err := w.client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode/100 == 2:
		return nil
	case resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return fmt.Errorf("webhook %s: HTTP %d", h.Name, resp.StatusCode)
	default:
		return errPermanent{fmt.Errorf("webhook %s: HTTP %d (not retried)", h.Name, resp.StatusCode)}
	}
}

func (w *Webhooks) deadLetter(ctx context.Context, h *Webhook, key string, body []byte, cause error) {
	d, err := w.st.AddDeadLetter(context.WithoutCancel(ctx), store.DeadLetter{Kind: store.DeadLetterWebhook, Source: h.Name, Key: key, Payload: body, Error: cause.Error()})
	if err != nil {
		w.log.Error("webhook: dead letter", "webhook", h.Name, "key", key, "err", err)
		return
	}
	w.log.Warn("webhook: event dead-lettered", "webhook", h.Name, "key", key, "id", d.ID, "err", cause)
	if w.pub != nil {
		if ev, err := New(TypeDeadLettered, Attrs{}, DeadLetterData{ID: d.ID, Kind: d.Kind, Source: d.Source, Key: d.Key, Error: d.Error}); err == nil {
			_ = w.pub.Publish(ctx, ev)
		}
	}
}

// Retry sends a dead-lettered webhook event once more; nil means the
// endpoint took it (the caller resolves the item).
func (w *Webhooks) Retry(ctx context.Context, d store.DeadLetter) error {
	h := w.hooks[d.Source]
	if h == nil {
		return fmt.Errorf("webhook %q is no longer configured", d.Source)
	}
	if strings.HasPrefix(d.Key, "gap:") {
		return fmt.Errorf("events %s are no longer retained and cannot be resent", strings.TrimPrefix(d.Key, "gap:"))
	}
	return w.send(ctx, h, d.Payload)
}

// DeadLetterData is the data of TypeDeadLettered events.
type DeadLetterData struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	Source string `json:"source"`
	Key    string `json:"key"`
	Error  string `json:"error"`
}
