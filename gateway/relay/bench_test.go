package relay_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/ledgergate/ledgergate/adapters"
	eth "github.com/ledgergate/ledgergate/adapters/ethereum"
	"github.com/ledgergate/ledgergate/gateway/relay"
	"github.com/ledgergate/ledgergate/gateway/routing"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/internal/anvil"
	"github.com/ledgergate/ledgergate/internal/testenv"
	"github.com/ledgergate/ledgergate/schema"
)

// writeOnly hides an adapter's optional capabilities: the relay then holds
// a worker for each Write until the write is confirmed.
type writeOnly struct{ adapters.Adapter }

// TestBenchRelayAnvil measures deliveries per second from the relay to an
// anvil node sealing a block every LEDGERGATE_BENCH_BLOCK_MS (default 1000)
// with the relay's and the adapter's defaults: once with Write alone (a
// worker held per write until it is confirmed, as before the relay used
// adapters.Submitter) and once with Submit and Track. It runs only with
// LEDGERGATE_BENCH=1; see docs/performance.md for the command.
func TestBenchRelayAnvil(t *testing.T) {
	if os.Getenv("LEDGERGATE_BENCH") != "1" {
		t.Skip("benchmark: set LEDGERGATE_BENCH=1 to run")
	}
	n := testenv.EnvInt(t, "LEDGERGATE_BENCH_N", 1000)
	workers := testenv.EnvInt(t, "LEDGERGATE_BENCH_WORKERS", 64)
	block := time.Duration(testenv.EnvInt(t, "LEDGERGATE_BENCH_BLOCK_MS", 1000)) * time.Millisecond
	disclosure := adapters.Disclosure(os.Getenv("LEDGERGATE_BENCH_MODE"))
	if disclosure == "" {
		disclosure = adapters.DisclosureDigest
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	bin, err := anvil.Install(ctx)
	if err != nil {
		t.Fatal(err)
	}
	node, err := anvil.Start(ctx, bin, anvil.Options{BlockTime: block})
	if err != nil {
		t.Fatal(err)
	}
	defer node.Stop()
	c, err := ethclient.Dial(node.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	var out strings.Builder
	fmt.Fprintf(&out, "anvil %s, %s blocks; %d %s records, %d relay workers, one key, confirmations %d\n\n", anvil.Version, block, n, disclosure, workers, eth.DefaultConfirmations)
	fmt.Fprintf(&out, "| relay writes with | deliveries/s | time to confirm all | blocks |\n|---|---|---|---|\n")
	for _, mode := range []string{"Write", "Submit + Track"} {
		a, err := eth.Deploy(ctx, c, eth.WithKey(node.Keys[0]))
		if err != nil {
			t.Fatal(err)
		}
		var ledger adapters.Adapter = a
		if mode == "Write" {
			ledger = writeOnly{a}
		}
		e := newEnvRouting(t, routing.Target{Ledger: "eth", Disclosure: disclosure})
		e.submit(t, n)
		first, err := c.BlockNumber(ctx)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		stop := run(t, relay.New(e.store, schema.Default(), map[string]adapters.Adapter{"eth": ledger}, relay.WithWorkers(workers)))
		counts := e.waitAllWithin(t, 20*time.Minute)
		elapsed := time.Since(start)
		stop()
		a.Close()
		if counts[store.StateConfirmed] != n {
			t.Fatalf("%s: counts %v, want %d confirmed", mode, counts, n)
		}
		last, err := c.BlockNumber(ctx)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&out, "| %s | %.0f | %s | %d |\n", mode, float64(n)/elapsed.Seconds(), elapsed.Round(100*time.Millisecond), last-first)
	}
	t.Log("\n" + out.String())
	if path := os.Getenv("LEDGERGATE_BENCH_OUT"); path != "" {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
