package fabric_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/fabric/fabrictest"
	"github.com/ledgergate/ledgergate/internal/loadgen"
	"github.com/ledgergate/ledgergate/internal/testenv"
	"github.com/ledgergate/ledgergate/schema"
)

// TestBenchFabric measures records/s and commit latency (p50, p99) of
// adapter Writes at concurrency 1, 20 and 100, next to the raw chaincode:
// the same number of plain fabric-gateway submits of BenchPut (one key,
// one value, no checks), awaited to commit, in the same run. Off unless
// LEDGERGATE_BENCH=1. Knobs: LEDGERGATE_BENCH_CONC (e.g. "1,20,100"),
// LEDGERGATE_BENCH_N (transactions per point at concurrency 1; at
// concurrency c the run has max(N, 10c) transactions),
// LEDGERGATE_BENCH_MODE (full, redacted or digest; default full),
// LEDGERGATE_BENCH_OUT (also write the table to this file).
func TestBenchFabric(t *testing.T) {
	if os.Getenv("LEDGERGATE_BENCH") != "1" {
		t.Skip("set LEDGERGATE_BENCH=1 to run the Fabric benchmark")
	}
	n := fabrictest.Need(t)
	conc := []int{1, 20, 100}
	if s := os.Getenv("LEDGERGATE_BENCH_CONC"); s != "" {
		conc = nil
		for _, f := range strings.Split(s, ",") {
			c, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || c < 1 {
				t.Fatalf("LEDGERGATE_BENCH_CONC=%q", s)
			}
			conc = append(conc, c)
		}
	}
	base := testenv.EnvInt(t, "LEDGERGATE_BENCH_N", 60)
	policy := adapters.Policy{Disclosure: adapters.Disclosure(envStr("LEDGERGATE_BENCH_MODE", "full")), PublicFields: redacted.PublicFields}
	a := open(t, n, "customs")
	contract := gateway(t, n, "customs").GetNetwork(n.Channel).GetContract(n.Chaincode)
	ctx := context.Background()

	var out strings.Builder
	fmt.Fprintf(&out, "| concurrency | txs | raw BenchPut tx/s | raw p50 | raw p99 | adapter Write (%s) records/s | adapter p50 | adapter p99 | throughput ratio raw/adapter | p50 ratio adapter/raw |\n", policy.Disclosure)
	out.WriteString("|---|---|---|---|---|---|---|---|---|---|\n")
	for _, c := range conc {
		total := max(base, 10*c)
		prefix := fmt.Sprintf("bench-%d-%d-", time.Now().UnixNano(), c)
		raw := run(t, total, c, func(i int) error {
			_, commit, err := contract.SubmitAsync("BenchPut", client.WithArguments(prefix+strconv.Itoa(i), `{"n":`+strconv.Itoa(i)+`}`))
			if err != nil {
				return err
			}
			st, err := commit.StatusWithContext(ctx)
			if err == nil && !st.Successful {
				err = fmt.Errorf("transaction %s: %s", st.TransactionID, st.Code)
			}
			return err
		})
		recs := make([]*schema.Record, total)
		for i := range recs {
			recs[i] = record(t)
		}
		ad := run(t, total, c, func(i int) error {
			_, err := a.Write(ctx, recs[i], policy)
			return err
		})
		line := fmt.Sprintf("| %d | %d | %.1f | %v | %v | %.1f | %v | %v | %.2f | %.2f |",
			c, total, raw.rate, raw.p50, raw.p99, ad.rate, ad.p50, ad.p99, raw.rate/ad.rate, float64(ad.p50)/float64(raw.p50))
		t.Log(line)
		out.WriteString(line + "\n")
	}
	t.Log("\n" + out.String())
	if f := os.Getenv("LEDGERGATE_BENCH_OUT"); f != "" {
		if err := os.WriteFile(f, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type result struct {
	rate     float64
	p50, p99 time.Duration
}

// run calls op(0..total-1) from c goroutines and reports throughput and
// latency percentiles; any failure fails the test.
func run(t *testing.T, total, c int, op func(i int) error) result {
	t.Helper()
	st, err := loadgen.Run(total, c, op)
	if err != nil {
		t.Fatal(err)
	}
	return result{rate: st.Rate(), p50: st.Percentile(0.50).Round(time.Millisecond), p99: st.Percentile(0.99).Round(time.Millisecond)}
}

func envStr(name, def string) string {
	if s := os.Getenv(name); s != "" {
		return s
	}
	return def
}
