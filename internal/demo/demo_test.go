package demo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/gateway/api"
	"github.com/ledgergate/ledgergate/internal/demo"
)

// TestDemo runs the README's main job end to end: every sample record is
// confirmed on both ledgers, the chain's own JSON-RPC shows one registry
// event per record, and the officer sees them all through the API.
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var out bytes.Buffer
	ready := make(chan demo.Info, 1)
	done := make(chan error, 1)
	go func() {
		done <- demo.Run(ctx, demo.Options{Dir: t.TempDir(), Listen: "127.0.0.1:0", RPCAddr: "127.0.0.1:0", FactomAddr: "127.0.0.1:0", NoFabric: true, BlockTime: 50 * time.Millisecond,
			Ready: func(i demo.Info) { ready <- i }}, &out)
	}()
	var info demo.Info
	select {
	case info = <-ready:
	case err := <-done:
		t.Fatalf("demo ended early: %v\n%s", err, out.String())
	}
	if len(info.RecordIDs) != 16 {
		t.Fatalf("demo pushed %d records, want 16 (two of each of 8 types)", len(info.RecordIDs))
	}
	// The chain's JSON-RPC, without the gateway: one RecordWritten log per record.
	body := `{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"fromBlock":"0x0","address":"` + info.Registry + `"}]}`
	res, err := http.Post(info.RPC, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var logs struct {
		Result []json.RawMessage `json:"result"`
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if err := json.Unmarshal(b, &logs); err != nil || len(logs.Result) < 16 {
		t.Fatalf("eth_getLogs on the demo chain: %v, %d logs: %s", err, len(logs.Result), b)
	}
	// The embedded Factom node answers its v2 API and has sealed blocks.
	res, err = http.Post(info.Factom, "application/json", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"heights"}`))
	if err != nil {
		t.Fatal(err)
	}
	var heights struct {
		Result struct {
			DirectoryBlockHeight int `json:"directoryblockheight"`
		} `json:"result"`
	}
	_ = json.NewDecoder(res.Body).Decode(&heights)
	res.Body.Close()
	if heights.Result.DirectoryBlockHeight < 1 {
		t.Fatalf("factom heights = %+v", heights)
	}
	req, _ := http.NewRequest("GET", info.API+"/v1/records?status=confirmed", nil)
	req.Header.Set("Authorization", "Bearer "+info.OfficerKey)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var l api.ListView
	_ = json.NewDecoder(res.Body).Decode(&l)
	res.Body.Close()
	if len(l.Items) != 16 {
		t.Fatalf("officer sees %d confirmed records, want 16", len(l.Items))
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("demo did not shut down cleanly: %v", err)
	}
	// The output is read only once Run has returned: it writes until then.
	for _, want := range []string{"16 records, all confirmed", "What to try", "eth_getLogs", "north-steel"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
}
