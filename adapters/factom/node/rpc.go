package node

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

type rpcRequest struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
}

type rpcResponse struct {
	JSONRPC string             `json:"jsonrpc"`
	ID      json.RawMessage    `json:"id"`
	Result  any                `json:"result,omitempty"`
	Error   *protocol.RPCError `json:"error,omitempty"`
}

// maxRequest bounds a request body (an entry is at most 10 KiB, hex-coded).
const maxRequest = 1 << 20

// Handler returns the factomd v2 JSON-RPC API as an http.Handler. It
// answers POSTs on /v2 (and /), like factomd: results with HTTP 200,
// errors with HTTP 400.
func (n *Node) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2", n.serveRPC)
	mux.HandleFunc("POST /{$}", n.serveRPC)
	return mux
}

// Start serves the API in the background on a new listener at addr
// (host:port; port 0 picks a free one). It returns the API's URL and a
// function that stops serving and closes the node.
func (n *Node) Start(addr string) (url string, stop func(), err error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = n.Serve(ctx, l); close(done) }()
	return "http://" + l.Addr().String(), func() { cancel(); <-done; _ = n.Close() }, nil
}

// Serve answers the API on l until ctx ends, then shuts the server down
// (the node stays open; Close it separately). It returns nil when ctx
// ends.
func (n *Node) Serve(ctx context.Context, l net.Listener) error {
	srv := &http.Server{Handler: n.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

func (n *Node) serveRPC(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequest+1))
	var req rpcRequest
	if err != nil || len(body) > maxRequest || json.Unmarshal(body, &req) != nil || req.JSONRPC != "2.0" {
		writeRPC(w, rpcResponse{JSONRPC: "2.0", ID: json.RawMessage("null"), Error: errInvalidRequest()})
		return
	}
	if len(req.ID) == 0 {
		req.ID = json.RawMessage("null")
	}
	res, rerr := n.Call(r.Context(), req.Method, req.Params)
	resp := rpcResponse{JSONRPC: "2.0", ID: req.ID}
	if rerr != nil {
		resp.Error = rerr
	} else {
		resp.Result = res
	}
	writeRPC(w, resp)
}

func writeRPC(w http.ResponseWriter, resp rpcResponse) {
	w.Header().Set("Content-Type", "application/json")
	if resp.Error != nil {
		w.WriteHeader(http.StatusBadRequest)
	}
	_ = json.NewEncoder(w).Encode(resp)
}

// Call runs one API method with JSON params and returns its result, as the
// HTTP API would. It lets a process embedding the node skip HTTP.
func (n *Node) Call(ctx context.Context, method string, params json.RawMessage) (any, *protocol.RPCError) {
	h, ok := methods[method]
	if !ok {
		return nil, errMethodNotFound()
	}
	if ctx.Err() != nil {
		return nil, errInternal(ctx.Err().Error())
	}
	return h(n, params)
}

// decode unmarshals params into v; absent params leave v zero, as factomd.
func decode(params json.RawMessage, v any) *protocol.RPCError {
	if len(params) == 0 || string(params) == "null" {
		return nil
	}
	if json.Unmarshal(params, v) != nil {
		return errInvalidParams()
	}
	return nil
}
