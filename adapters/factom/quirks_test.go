package factom_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/factom"
	"github.com/ledgergate/ledgergate/adapters/factom/client"
	"github.com/ledgergate/ledgergate/adapters/factom/node"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

// proxy serves the embedded node's API through answer, which gets each
// call's method and params and the node itself (call asks it), and
// returns the answer the adapter sees.
func proxy(t *testing.T, e *embedded, answer func(method string, params json.RawMessage, call func() (any, *protocol.RPCError)) (any, *protocol.RPCError)) *client.Client {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params json.RawMessage `json:"params"`
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		res, rerr := answer(req.Method, req.Params, func() (any, *protocol.RPCError) { return e.n.Call(r.Context(), req.Method, req.Params) })
		w.Header().Set("Content-Type", "application/json")
		out := map[string]any{"jsonrpc": "2.0", "id": req.ID}
		if rerr != nil {
			w.WriteHeader(http.StatusBadRequest)
			out["error"] = rerr
		} else {
			out["result"] = res
		}
		_ = json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return client.New(srv.URL)
}

// factomdLike wraps the embedded node's API to answer ack the way a busy
// factomd does: Unknown for a while after the reveal, then TransactionACK
// with dates in seconds, and only then the node's own answer (milliseconds
// for the commit date once confirmed).
func factomdLike(t *testing.T, e *embedded, unknownFor int) *client.Client {
	var mu sync.Mutex
	seen := map[string]int{}
	return proxy(t, e, func(method string, params json.RawMessage, call func() (any, *protocol.RPCError)) (any, *protocol.RPCError) {
		res, rerr := call()
		if method != "ack" || rerr != nil {
			return res, rerr
		}
		var p protocol.AckRequest
		_ = json.Unmarshal(params, &p)
		mu.Lock()
		seen[p.Hash]++
		n := seen[p.Hash]
		mu.Unlock()
		switch {
		case n <= unknownFor:
			res = protocol.EntryStatus{EntryHash: p.Hash, CommitData: protocol.TransactionData{Status: protocol.AckUnknown}, EntryData: protocol.TransactionData{Status: protocol.AckUnknown}}
		case n <= 2*unknownFor:
			st := res.(protocol.EntryStatus)
			now := time.Now()
			st.EntryData = protocol.TransactionData{Status: protocol.AckTransactionACK}
			st.CommitData = protocol.TransactionData{Status: protocol.AckTransactionACK, TransactionDate: now.Unix(), TransactionDateString: now.Format("2006-01-02 15:04:05")}
			res = st
		}
		return res, nil
	})
}

func TestToleratesAckProgression(t *testing.T) {
	ctx := testCtx(t, time.Minute)
	e := startNode(t)
	c := factomdLike(t, e, 3)
	a, err := factom.New(ctx, c, factom.WithECKey(e.key), factom.WithPollInterval(2*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	rec := record(t, newID(), "1", "")
	rc, err := a.Write(ctx, rec, full)
	if err != nil {
		t.Fatal(err)
	}
	if rc.Status != "confirmed" || rc.Time.IsZero() {
		t.Fatalf("receipt %+v", rc)
	}
}

func TestAckTimeUnits(t *testing.T) {
	sec := protocol.AckTime(1795288680)
	ms := protocol.AckTime(1795288680000)
	if !sec.Equal(ms) || sec.Year() < 2020 {
		t.Fatalf("AckTime: seconds %v, milliseconds %v", sec, ms)
	}
	if !protocol.AckTime(0).IsZero() {
		t.Fatal("AckTime(0) is not zero")
	}
}

// failingAcks wraps the embedded node's API so that, while *fail is
// positive, ack answers JSON-RPC's internal error (as factomd 6.13 now
// and then does for an entry it has just taken) and counts *fail down.
func failingAcks(t *testing.T, e *embedded, fail *atomic.Int32) *client.Client {
	return proxy(t, e, func(method string, _ json.RawMessage, call func() (any, *protocol.RPCError)) (any, *protocol.RPCError) {
		if method == "ack" && fail.Add(-1) >= 0 {
			return nil, &protocol.RPCError{Code: -32603, Message: "Internal error"}
		}
		return call()
	})
}

// TestTrackTreatsInternalAckErrorsAsUnavailable: an internal error from
// ack tells nothing about the entry, so Track reports the ledger
// unavailable (ask again) rather than failing, and following the write
// still ends with its receipt.
func TestTrackTreatsInternalAckErrorsAsUnavailable(t *testing.T) {
	ctx := testCtx(t, time.Minute)
	e := startNode(t, node.WithBlockTime(500*time.Millisecond)) // the entry waits in the process list while Track asks
	var fail atomic.Int32
	a, err := factom.New(ctx, failingAcks(t, e, &fail), factom.WithECKey(e.key), factom.WithPollInterval(2*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	rec := record(t, newID(), "1", "")
	rc, err := a.Submit(ctx, rec, full)
	if err != nil {
		t.Fatal(err)
	}
	fail.Store(3)
	if _, err := a.Track(ctx, rc); !errors.Is(err, adapters.ErrUnavailable) || !strings.Contains(err.Error(), "-32603") {
		t.Fatalf("Track while ack fails: %v, want ErrUnavailable carrying the node's error", err)
	}
	got, err := adapters.Await(ctx, a, rc, 5*time.Millisecond)
	if err != nil {
		t.Fatalf("Await: %v", err)
	}
	if got.Status == adapters.StatusSubmitted || got.Digest != rec.Digest {
		t.Fatalf("receipt %+v", got)
	}
	if n := fail.Load(); n > 0 {
		t.Fatalf("ack failed %d times fewer than set: the test did not exercise Track's retries", 3-n)
	}
}
