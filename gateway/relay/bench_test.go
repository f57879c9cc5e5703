package relay_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"

	"github.com/ledgergate/ledgergate/adapters"
	eth "github.com/ledgergate/ledgergate/adapters/ethereum"
	"github.com/ledgergate/ledgergate/adapters/fabric/fabrictest"
	"github.com/ledgergate/ledgergate/adapters/factom"
	"github.com/ledgergate/ledgergate/adapters/factom/client"
	"github.com/ledgergate/ledgergate/adapters/factom/node"
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

// benchRelay measures deliveries per second from the relay, with its
// defaults, to ledgers open returns, until every delivery is confirmed:
// once with Write alone (a worker held per write until it is confirmed,
// as before the relay used adapters.Submitter) and once with Submit and
// Track. head reports the ledger's height, to count the blocks a run took.
func benchRelay(t *testing.T, title string, open func(t *testing.T) adapters.Adapter, head func() uint64) {
	n := testenv.EnvInt(t, "LEDGERGATE_BENCH_N", 1000)
	workers := testenv.EnvInt(t, "LEDGERGATE_BENCH_WORKERS", 64)
	disclosure := adapters.Disclosure(os.Getenv("LEDGERGATE_BENCH_MODE"))
	if disclosure == "" {
		disclosure = adapters.DisclosureDigest
	}
	var out strings.Builder
	fmt.Fprintf(&out, "%s; %d %s records, %d relay workers\n\n", title, n, disclosure, workers)
	fmt.Fprintf(&out, "| relay writes with | deliveries/s | time to confirm all | blocks |\n|---|---|---|---|\n")
	for _, mode := range []string{"Write", "Submit + Track"} {
		ledger := open(t)
		if mode == "Write" {
			ledger = writeOnly{ledger}
		}
		e := newEnvRouting(t, routing.Target{Ledger: "bench", Disclosure: disclosure})
		e.submit(t, n)
		first, start := head(), time.Now()
		stop := run(t, relay.New(e.store, schema.Default(), map[string]adapters.Adapter{"bench": ledger}, relay.WithWorkers(workers)))
		counts := e.waitAllWithin(t, 20*time.Minute)
		elapsed := time.Since(start)
		stop()
		ledger.Close()
		if counts[store.StateConfirmed] != n {
			t.Fatalf("%s: counts %v, want %d confirmed", mode, counts, n)
		}
		fmt.Fprintf(&out, "| %s | %.0f | %s | %d |\n", mode, float64(n)/elapsed.Seconds(), elapsed.Round(100*time.Millisecond), head()-first)
	}
	t.Log("\n" + out.String())
	if path := os.Getenv("LEDGERGATE_BENCH_OUT"); path != "" {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBenchRelayAnvil runs benchRelay against an anvil node sealing a block
// every LEDGERGATE_BENCH_BLOCK_MS (default 1000), with the Ethereum
// adapter's defaults (confirmations 1, one key). It runs only with
// LEDGERGATE_BENCH=1; see docs/performance.md for the command.
func TestBenchRelayAnvil(t *testing.T) {
	if os.Getenv("LEDGERGATE_BENCH") != "1" {
		t.Skip("benchmark: set LEDGERGATE_BENCH=1 to run")
	}
	block := time.Duration(testenv.EnvInt(t, "LEDGERGATE_BENCH_BLOCK_MS", 1000)) * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	bin, err := anvil.Install(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nd, err := anvil.Start(ctx, bin, anvil.Options{BlockTime: block})
	if err != nil {
		t.Fatal(err)
	}
	defer nd.Stop()
	c, err := ethclient.Dial(nd.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	benchRelay(t, fmt.Sprintf("anvil %s, %s blocks, one key, confirmations %d", anvil.Version, block, eth.DefaultConfirmations),
		func(t *testing.T) adapters.Adapter {
			a, err := eth.Deploy(ctx, c, eth.WithKey(nd.Keys[0]))
			if err != nil {
				t.Fatal(err)
			}
			return a
		},
		func() uint64 {
			h, err := c.BlockNumber(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return h
		})
}

// TestBenchRelayFactom runs benchRelay against the embedded Factom node
// sealing a directory block every LEDGERGATE_BENCH_BLOCK_MS (default
// 10000; the Factom mainnet's is ten minutes), with the adapter's defaults.
// It runs only with LEDGERGATE_BENCH=1.
func TestBenchRelayFactom(t *testing.T) {
	if os.Getenv("LEDGERGATE_BENCH") != "1" {
		t.Skip("benchmark: set LEDGERGATE_BENCH=1 to run")
	}
	block := time.Duration(testenv.EnvInt(t, "LEDGERGATE_BENCH_BLOCK_MS", 10000)) * time.Millisecond
	nd, err := node.New(t.TempDir(), node.WithBlockTime(block), node.WithDevKey())
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := nd.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ctx := t.Context()
	c := client.New(url)
	ns := 0
	benchRelay(t, fmt.Sprintf("embedded Factom node, %s directory blocks", block),
		func(t *testing.T) adapters.Adapter {
			ns++ // a fresh namespace per run: its chains are created by the run
			a, err := factom.New(ctx, c, factom.WithECKey(node.DevKey()), factom.WithNamespace(fmt.Sprintf("bench-%d", ns)))
			if err != nil {
				t.Fatal(err)
			}
			return a
		},
		func() uint64 {
			h, err := c.Heights(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return uint64(h.DirectoryBlockHeight)
		})
}

// TestBenchRelayFabric runs benchRelay against a Fabric test network (the
// one fabrictest.Need finds: LEDGERGATE_FABRIC_CONNECTION or the default
// connection file; the benchmark does not start one). Bring one up with a
// realistic batch timeout for it, e.g. on ports of its own:
//
//	NET_DIR=/tmp/fab2/run BATCH_TIMEOUT=2s BATCH_MAX=500 ORDERER_PORT=27050 ... testnet/fabric/up.sh
//
// (docs/performance.md has the whole command). The adapter writes as the
// customs organization, with its defaults. It runs only with
// LEDGERGATE_BENCH=1.
func TestBenchRelayFabric(t *testing.T) {
	if os.Getenv("LEDGERGATE_BENCH") != "1" {
		t.Skip("benchmark: set LEDGERGATE_BENCH=1 to run")
	}
	t.Setenv(fabrictest.EnvNoStart, "1")
	conn := fabrictest.Need(t)
	gw, closeGW, err := conn.Connect("customs")
	if err != nil {
		t.Fatal(err)
	}
	defer closeGW()
	qscc := gw.GetNetwork(conn.Channel).GetContract("qscc")
	ctx := t.Context()
	benchRelay(t, fmt.Sprintf("Fabric %s test network (%s)", conn.FabricVersion, conn.NetDir),
		func(t *testing.T) adapters.Adapter {
			a, err := conn.Dial(ctx, "customs")
			if err != nil {
				t.Fatal(err)
			}
			return a
		},
		func() uint64 {
			raw, err := qscc.EvaluateTransaction("GetChainInfo", conn.Channel)
			if err != nil {
				t.Fatal(err)
			}
			var info common.BlockchainInfo
			if err := proto.Unmarshal(raw, &info); err != nil {
				t.Fatal(err)
			}
			return info.Height
		})
}
