package factom_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom"
	"github.com/ledgergate/ledgergate/adapters/factom/client"
	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

// factomdLike wraps the embedded node's API to answer ack the way a busy
// factomd does: Unknown for a while after the reveal, then TransactionACK
// with dates in seconds, and only then the node's own answer (milliseconds
// for the commit date once confirmed).
func factomdLike(t *testing.T, e *embedded, unknownFor int) *client.Client {
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params json.RawMessage `json:"params"`
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		res, rerr := e.n.Call(r.Context(), req.Method, req.Params)
		if req.Method == "ack" && rerr == nil {
			var p protocol.AckRequest
			_ = json.Unmarshal(req.Params, &p)
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
		}
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
