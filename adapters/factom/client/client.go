// Package client is a small JSON-RPC client for the factomd v2 API subset
// ledgergate uses. It speaks to the embedded node and to factomd alike.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

// ErrUnreachable wraps failures to deliver a request at all (the
// connection was refused or could not be made): the server never saw it.
var ErrUnreachable = errors.New("factomd unreachable")

// Client calls one factomd v2 endpoint. It is safe for concurrent use.
type Client struct {
	url        string
	http       *http.Client
	user, pass string
	id         atomic.Int64
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (default: 30 s timeout).
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithBasicAuth sets factomd's -rpcuser and -rpcpass.
func WithBasicAuth(user, pass string) Option { return func(c *Client) { c.user, c.pass = user, pass } }

// New returns a client for url: "http://127.0.0.1:8088" or the full
// ".../v2" endpoint.
func New(url string, opts ...Option) *Client {
	url = strings.TrimRight(url, "/")
	if !strings.HasSuffix(url, "/v2") {
		url += "/v2"
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64 // concurrent writers share one node
	c := &Client{url: url, http: &http.Client{Timeout: 30 * time.Second, Transport: tr}}
	for _, o := range opts {
		o(c)
	}
	return c
}

// URL returns the endpoint.
func (c *Client) URL() string { return c.url }

type request struct {
	JSONRPC string `json:"jsonrpc"`
	ID      int64  `json:"id"`
	Method  string `json:"method"`
	Params  any    `json:"params,omitempty"`
}

type response struct {
	Result json.RawMessage    `json:"result"`
	Error  *protocol.RPCError `json:"error"`
}

// CallRaw calls method and returns the raw result. A JSON-RPC error is
// returned as *protocol.RPCError.
func (c *Client) CallRaw(ctx context.Context, method string, params any) (json.RawMessage, error) {
	body, err := json.Marshal(request{JSONRPC: "2.0", ID: c.id.Add(1), Method: method, Params: params})
	if err != nil {
		return nil, fmt.Errorf("factomd %s: %w", method, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("factomd %s: %w", method, err)
	}
	req.Header.Set("Content-Type", "application/json")
	// Every v2 call the adapter makes is safe to repeat (reads; commits
	// and reveals are idempotent per entry), so let the transport resend a
	// request that hit a connection the server had already closed.
	req.Header.Set("Idempotency-Key", fmt.Sprint(method, "-", c.id.Load()))
	if c.user != "" {
		req.SetBasicAuth(c.user, c.pass)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if notDelivered(err) {
			return nil, fmt.Errorf("factomd %s: %w: %w", method, ErrUnreachable, err)
		}
		return nil, fmt.Errorf("factomd %s: %w", method, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("factomd %s: read response: %w", method, err)
	}
	var r response
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("factomd %s: HTTP %d: %w: %.200s", method, resp.StatusCode, err, data)
	}
	if r.Error != nil {
		return nil, r.Error
	}
	return r.Result, nil
}

// notDelivered reports errors that prove the request never reached the
// server: a failed dial.
func notDelivered(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// Call calls method and decodes the result into result (unless nil).
func (c *Client) Call(ctx context.Context, method string, params, result any) error {
	raw, err := c.CallRaw(ctx, method, params)
	if err != nil {
		return err
	}
	if result == nil {
		return nil
	}
	if err := json.Unmarshal(raw, result); err != nil {
		return fmt.Errorf("factomd %s: decode result: %w", method, err)
	}
	return nil
}

// IsCode reports whether err is a JSON-RPC error with this code.
func IsCode(err error, code int) bool {
	var e *protocol.RPCError
	return errors.As(err, &e) && e.Code == code
}
