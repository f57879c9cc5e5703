package ethereum_test

import (
	"cmp"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/ethereum"
	"github.com/ledgergate/ledgergate/internal/anvil"
	"github.com/ledgergate/ledgergate/internal/loadgen"
	"github.com/ledgergate/ledgergate/internal/testenv"
	"github.com/ledgergate/ledgergate/schema"
)

// TestBenchAnvil measures the adapter against anvil: records written per
// second from one key with concurrent writers, time from Write to inclusion
// (Write returns once the transaction is in a block, confirmations 1), and
// gas per record for each disclosure mode. It runs only with
// LEDGERGATE_BENCH=1; see docs/performance.md for the command.
//
//	LEDGERGATE_BENCH_N        records per disclosure mode (default 300)
//	LEDGERGATE_BENCH_WRITERS  concurrent writers (default 32)
//	LEDGERGATE_BENCH_BLOCK_MS anvil block time in ms (default 0: automine)
//	LEDGERGATE_BENCH_MODES    disclosure modes, e.g. full,digest
func TestBenchAnvil(t *testing.T) {
	if os.Getenv("LEDGERGATE_BENCH") != "1" {
		t.Skip("benchmark: set LEDGERGATE_BENCH=1 to run")
	}
	n := testenv.EnvInt(t, "LEDGERGATE_BENCH_N", 300)
	writers := testenv.EnvInt(t, "LEDGERGATE_BENCH_WRITERS", 32)
	block := time.Duration(testenv.EnvInt(t, "LEDGERGATE_BENCH_BLOCK_MS", 0)) * time.Millisecond
	node := startAnvil(t, anvil.Options{BlockTime: block})
	ctx := testCtx(t, 10*time.Minute)
	c := dialAnvil(t, node)
	a, err := ethereum.New(ctx, c, anvilRegistry(t, ctx, node, c, ethereum.WithPollInterval(time.Duration(testenv.EnvInt(t, "LEDGERGATE_BENCH_POLL_MS", 25))*time.Millisecond))...)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	m := newMaker(t)
	mining := "automine (a block per transaction)"
	if block > 0 {
		mining = fmt.Sprintf("interval mining, %s blocks", block)
	}
	var out strings.Builder
	fmt.Fprintf(&out, "anvil %s, %s; %d records per mode, %d concurrent writers, one key, confirmations 1\n\n", anvil.Version, mining, n, writers)
	fmt.Fprintf(&out, "| disclosure | records/s | p50 to inclusion | p99 to inclusion | gas/record (mean) | disclosed bytes/record |\n|---|---|---|---|---|---|\n")
	for _, p := range benchPolicies() {
		recs := make([]*schema.Record, n)
		for i := range recs {
			recs[i] = m.make()
		}
		txs := make([]string, n)
		st, err := loadgen.Run(n, writers, func(i int) error {
			rc, err := a.Write(ctx, recs[i], p)
			txs[i] = rc.TxID
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var gas uint64
		for _, tx := range txs {
			r, err := c.TransactionReceipt(ctx, common.HexToHash(tx))
			if err != nil {
				t.Fatal(err)
			}
			gas += r.GasUsed
		}
		pl, err := adapters.Prepare(nil, recs[0], p, 0)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&out, "| %s | %.0f | %s | %s | %d | %d |\n", p.Disclosure, st.Rate(),
			st.Percentile(0.50).Round(time.Millisecond/10), st.Percentile(0.99).Round(time.Millisecond/10), gas/uint64(n), len(pl.Content))
	}
	t.Log("\n" + out.String())
	if path := os.Getenv("LEDGERGATE_BENCH_OUT"); path != "" {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// benchPolicies are the disclosure modes to measure, in order
// (LEDGERGATE_BENCH_MODES, e.g. "full,digest"; default digest,redacted,full).
func benchPolicies() []adapters.Policy {
	all := map[string]adapters.Policy{"digest": digest, "redacted": redacted, "full": full}
	names := strings.Split(cmp.Or(os.Getenv("LEDGERGATE_BENCH_MODES"), "digest,redacted,full"), ",")
	var out []adapters.Policy
	for _, n := range names {
		if p, ok := all[strings.TrimSpace(n)]; ok {
			out = append(out, p)
		}
	}
	return out
}
