package api

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/events"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/watch"
)

// Streaming holds the live-event and watched-source dependencies; zero
// fields switch their endpoints off (404 problems, empty lists).
type Streaming struct {
	// Bus serves GET /v1/stream.
	Bus *events.Bus
	// Sources reports and retries watched sources.
	Sources *watch.Manager
	// Webhooks retries dead-lettered webhook deliveries.
	Webhooks *events.Webhooks
	// DeadLetters lists dead-letter items (the store).
	DeadLetters store.DeadLetters
}

func (s *Server) registerStreaming() {
	s.handle("GET /v1/stream", s.stream)
	s.handle("GET /v1/sources", s.authed(s.listSources))
	s.handle("GET /v1/deadletters", s.authed(s.listDeadLetters))
	s.handle("GET /v1/deadletters/{id}", s.authed(s.getDeadLetter))
	s.handle("POST /v1/deadletters/{id}/retry", s.authed(s.retryDeadLetter))
}

var upgrader = websocket.Upgrader{
	ReadBufferSize: 1024, WriteBufferSize: 16 << 10, HandshakeTimeout: 10 * time.Second,
	// API keys authenticate the upgrade request, not cookies, so another
	// origin's page gains nothing; allow any origin.
	CheckOrigin: func(*http.Request) bool { return true },
}

// hijackable exposes the connection under the metrics wrapper.
type hijackable struct{ *statusWriter }

func (h hijackable) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h.code = http.StatusSwitchingProtocols
	return http.NewResponseController(h.ResponseWriter).Hijack()
}

// Stream timing.
const (
	streamWriteWait = 10 * time.Second
	streamPongWait  = 60 * time.Second
	streamPing      = 25 * time.Second
)

// Close codes of GET /v1/stream besides the standard ones (docs/events.md):
// CloseUnknownSequence ends a resume whose after is newer than anything
// the stream has held (another gateway's sequence without a shared NATS
// stream, or a recreated stream): the client resynchronises through the
// API and reconnects without after.
const CloseUnknownSequence = 4409

// stream serves GET /v1/stream: a websocket carrying one structured-mode
// CloudEvent (JSON) per text message, in sequence order. Query:
// type (repeatable or comma-separated; "prefix.*" matches a prefix),
// partner, recordType, after (resume after this sequence number: from the
// replay ring, or with NATS from the shared stream; events retained by
// neither are reported by one org.ledgergate.stream.gap event).
func (s *Server) stream(w http.ResponseWriter, r *http.Request) {
	p, err := s.cfg.Auth.Authenticate(r)
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="ledgergate"`)
		writeProblem(w, r, http.StatusUnauthorized, "unauthenticated", "Unauthenticated", err.Error(), nil)
		return
	}
	bus := s.cfg.Streaming.Bus
	if bus == nil {
		writeProblem(w, r, http.StatusNotFound, "not-found", "Not found", "live events are not enabled", nil)
		return
	}
	q := r.URL.Query()
	f := events.Filter{Partner: q.Get("partner"), RecordType: q.Get("recordType")}
	for _, t := range q["type"] {
		for _, x := range strings.Split(t, ",") {
			if x = strings.TrimSpace(x); x != "" {
				f.Types = append(f.Types, x)
			}
		}
	}
	if p.Role == auth.RolePartner {
		if f.Partner != "" && f.Partner != p.ID {
			writeProblem(w, r, http.StatusForbidden, "forbidden", "Forbidden", "a partner may only stream its own events", nil)
			return
		}
		f.Partner = p.ID
	}
	var after uint64
	resume := false
	if a := q.Get("after"); a != "" {
		if after, err = strconv.ParseUint(a, 10, 64); err != nil {
			writeProblem(w, r, http.StatusBadRequest, "invalid-query", "Invalid query", "after: want a sequence number", nil)
			return
		}
		resume = true
	}
	if !websocket.IsWebSocketUpgrade(r) {
		writeProblem(w, r, http.StatusBadRequest, "not-websocket", "Websocket required", "GET /v1/stream is a websocket; send an Upgrade: websocket request", nil)
		return
	}
	if sw, ok := w.(*statusWriter); ok {
		w = hijackable{sw}
	}
	// Subscribe before the handshake completes: every event published
	// after the client's dial returns reaches it.
	sub := bus.Subscribe(f, after, resume)
	defer func() { _ = sub.Close() }()
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader answered
	}
	defer conn.Close()
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	defer cancel()
	// Reader: pongs and the close handshake; any read error ends the stream.
	conn.SetReadLimit(4 << 10)
	_ = conn.SetReadDeadline(time.Now().Add(streamPongWait))
	conn.SetPongHandler(func(string) error { return conn.SetReadDeadline(time.Now().Add(streamPongWait)) })
	go func() {
		defer cancel()
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				return
			}
		}
	}()
	go func() { // pings; WriteControl may run next to the writer
		t := time.NewTicker(streamPing)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(streamWriteWait)); err != nil {
					cancel()
					return
				}
			}
		}
	}()
	for {
		it, gap, err := sub.Next(ctx)
		if err != nil {
			resumeAt := "; resume with after=" + strconv.FormatUint(sub.Position(), 10)
			var msg []byte
			switch {
			case errors.Is(err, events.ErrClosed):
				msg = websocket.FormatCloseMessage(websocket.CloseGoingAway, "stream ended"+resumeAt)
			case errors.Is(err, events.ErrUnknownSequence):
				msg = websocket.FormatCloseMessage(CloseUnknownSequence, "after="+strconv.FormatUint(after, 10)+" is unknown to this stream")
			case ctx.Err() != nil: // the client left
				msg = websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
			default: // reading the shared stream failed
				s.cfg.Logger.Warn("stream: read events", "after", sub.Position(), "err", err)
				msg = websocket.FormatCloseMessage(websocket.CloseTryAgainLater, "events unavailable"+resumeAt)
			}
			_ = conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
			return
		}
		data := it.Data
		if gap != nil {
			ev, err := events.New(events.TypeStreamGap, events.Attrs{}, gap)
			if err != nil {
				return
			}
			ev.SetExtension(events.ExtSequence, strconv.FormatUint(gap.To, 10))
			if data, err = json.Marshal(ev); err != nil {
				return
			}
		}
		_ = conn.SetWriteDeadline(time.Now().Add(streamWriteWait))
		if err := conn.WriteMessage(websocket.TextMessage, data); err != nil {
			return
		}
	}
}

func (s *Server) listSources(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	if p.Role == auth.RolePartner {
		writeProblem(w, r, http.StatusForbidden, "forbidden", "Forbidden", "officers and admins only", nil)
		return
	}
	out := []watch.SourceStatus{}
	if m := s.cfg.Streaming.Sources; m != nil {
		var err error
		if out, err = m.Status(r.Context()); err != nil {
			s.internal(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"sources": out, "owner": ownerOf(s.cfg.Streaming.Sources)})
}

func ownerOf(m *watch.Manager) string {
	if m == nil {
		return ""
	}
	return m.Owner()
}

func (s *Server) listDeadLetters(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	if p.Role == auth.RolePartner {
		writeProblem(w, r, http.StatusForbidden, "forbidden", "Forbidden", "officers and admins only", nil)
		return
	}
	q := r.URL.Query()
	dq := store.DeadLetterQuery{Kind: q.Get("kind"), Source: q.Get("source"), State: q.Get("state")}
	for name, dst := range map[string]*int64{"after": &dq.After} {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				writeProblem(w, r, http.StatusBadRequest, "invalid-query", "Invalid query", name+": want a non-negative number", nil)
				return
			}
			*dst = n
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			writeProblem(w, r, http.StatusBadRequest, "invalid-query", "Invalid query", "limit: want 1..1000", nil)
			return
		}
		dq.Limit = n
	}
	items := []store.DeadLetter{}
	if dl := s.cfg.Streaming.DeadLetters; dl != nil {
		var err error
		if items, err = dl.DeadLetters(r.Context(), dq); err != nil {
			s.internal(w, r, err)
			return
		}
	}
	var next int64
	if dq.Limit > 0 && len(items) == dq.Limit || dq.Limit == 0 && len(items) == 100 {
		next = items[len(items)-1].ID
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "next": next})
}

func (s *Server) deadLetterParam(w http.ResponseWriter, r *http.Request, p auth.Principal) (store.DeadLetter, bool) {
	if p.Role == auth.RolePartner {
		writeProblem(w, r, http.StatusForbidden, "forbidden", "Forbidden", "officers and admins only", nil)
		return store.DeadLetter{}, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	dl := s.cfg.Streaming.DeadLetters
	if err != nil || dl == nil {
		writeProblem(w, r, http.StatusNotFound, "not-found", "Not found", "no such dead letter", nil)
		return store.DeadLetter{}, false
	}
	d, err := dl.DeadLetter(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		writeProblem(w, r, http.StatusNotFound, "not-found", "Not found", "no such dead letter", nil)
		return d, false
	}
	if err != nil {
		s.internal(w, r, err)
		return d, false
	}
	return d, true
}

func (s *Server) getDeadLetter(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	if d, ok := s.deadLetterParam(w, r, p); ok {
		writeJSON(w, http.StatusOK, d)
	}
}

// retryDeadLetter re-runs a dead-lettered item: a source event through
// the source's current mapping, a webhook event to its endpoint. 200 with
// the resolved item, or 422 with the new error (the item stays open).
func (s *Server) retryDeadLetter(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	if p.Role != auth.RoleAdmin {
		writeProblem(w, r, http.StatusForbidden, "forbidden", "Forbidden", "admins only", nil)
		return
	}
	d, ok := s.deadLetterParam(w, r, p)
	if !ok {
		return
	}
	var err error
	switch {
	case d.State == store.DeadLetterResolved:
		writeJSON(w, http.StatusOK, d)
		return
	case d.Kind == store.DeadLetterSource && s.cfg.Streaming.Sources != nil:
		err = s.cfg.Streaming.Sources.Retry(r.Context(), d)
	case d.Kind == store.DeadLetterWebhook && s.cfg.Streaming.Webhooks != nil:
		if err = s.cfg.Streaming.Webhooks.Retry(r.Context(), d); err == nil {
			err = s.cfg.Streaming.DeadLetters.ResolveDeadLetter(r.Context(), d.ID)
		} else if _, aerr := s.cfg.Streaming.DeadLetters.AddDeadLetter(r.Context(), store.DeadLetter{Kind: d.Kind, Source: d.Source, Key: d.Key, Payload: d.Payload, Provenance: d.Provenance, Error: err.Error()}); aerr != nil {
			s.internal(w, r, aerr)
			return
		}
	default:
		writeProblem(w, r, http.StatusConflict, "not-retryable", "Not retryable", "the "+d.Kind+" "+d.Source+" is not configured on this gateway", nil)
		return
	}
	if r.Context().Err() != nil {
		s.internal(w, r, r.Context().Err())
		return
	}
	d2, gerr := s.cfg.Streaming.DeadLetters.DeadLetter(r.Context(), d.ID)
	if gerr != nil {
		s.internal(w, r, gerr)
		return
	}
	if err != nil {
		writeProblem(w, r, http.StatusUnprocessableEntity, "retry-failed", "Retry failed", err.Error(), nil)
		return
	}
	writeJSON(w, http.StatusOK, d2)
}
