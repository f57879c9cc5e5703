package reconcile_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/reconcile"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/store/sqlite"
	"github.com/ledgergate/ledgergate/internal/cputime"
	"github.com/ledgergate/ledgergate/schema"
)

// recordedState builds n records (SensorReadings with distinct ids) and
// three recorded ledgers: full, redacted (sensorType, observedAt) and
// digest; one record in every 1000 diverges on one ledger.
func recordedState(tb testing.TB, n int) (*reconcile.MemorySource, map[string]adapters.Adapter, int) {
	tb.Helper()
	tmpl := sensor(tb, "urn:uuid:00000000-0000-4000-8000-000000000000", "1420", "")
	pl, err := adapters.Prepare(nil, tmpl, adapters.Policy{Disclosure: adapters.DisclosureRedacted, PublicFields: redactedFields}, 0)
	if err != nil {
		tb.Fatal(err)
	}
	const oldID = "00000000-0000-4000-8000-000000000000"
	fullParts := strings.SplitN(string(tmpl.Canonical), oldID, 2)
	redParts := strings.SplitN(string(pl.Content), oldID, 2)
	src := reconcile.NewMemorySource()
	full, red, dig := reconcile.NewSnapshot(n), reconcile.NewSnapshot(n), reconcile.NewSnapshot(n)
	policies := []adapters.Policy{{Disclosure: adapters.DisclosureFull}, {Disclosure: adapters.DisclosureRedacted, PublicFields: redactedFields}, {Disclosure: adapters.DisclosureDigest}}
	diverged := 0
	for i := range n {
		hex := fmt.Sprintf("%012x", i)
		uuid := "00000000-0000-4000-8000-" + hex
		id := "urn:uuid:" + uuid
		canon := []byte(fullParts[0] + uuid + fullParts[1])
		redacted := []byte(redParts[0] + uuid + redParts[1])
		d := schema.DigestOf(canon)
		v := store.Version{RecordID: id, Digest: d, Type: tmpl.Type, Issuer: issuer, Partner: "sensor-co", Canonical: canon, Seq: int64(i + 1)}
		ds := make([]store.Delivery, 3)
		for j, name := range []string{"full", "redacted", "digest"} {
			ds[j] = store.Delivery{RecordID: id, Digest: d, Ledger: name, Policy: policies[j], State: store.StateConfirmed}
		}
		src.Add(reconcile.Item{Version: v, Deliveries: ds})
		e := adapters.Entry{RecordID: id, Type: tmpl.Type, Issuer: issuer, Digest: d}
		fe, re, de := e, e, e
		fe.Disclosure, fe.Content = adapters.DisclosureFull, bytes.Clone(canon) // a recorded ledger holds its own copy
		re.Disclosure, re.Content = adapters.DisclosureRedacted, redacted
		de.Disclosure = adapters.DisclosureDigest
		if i%1000 == 999 {
			diverged++
			switch (i / 1000) % 3 {
			case 0:
				fe.Content = bytes.Replace(canon, []byte(`"value":"1420"`), []byte(`"value":"9999"`), 1)
			case 1:
				re.Content = bytes.Replace(redacted, []byte(`"radiation"`), []byte(`"radiatiox"`), 1)
			default:
				de.Digest = schema.DigestOf([]byte(id))
			}
		}
		full.Put(fe)
		red.Put(re)
		dig.Put(de)
	}
	return src, map[string]adapters.Adapter{"full": full, "redacted": red, "digest": dig}, diverged
}

func rssHWM() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "?"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
		}
	}
	return "?"
}

// TestReconcileMillion is the benchmark of docs/performance.md: 1,000,000
// records across three recorded ledgers. It runs only with
// LEDGERGATE_BENCH_RECONCILE set (to the number of records, or 1 for a
// million), so normal test runs stay fast; LEDGERGATE_BENCH_RECONCILE_CPUPROFILE
// names a file for a CPU profile of the run alone (not the setup):
//
//	LEDGERGATE_BENCH_RECONCILE=1 go test ./gateway/reconcile -run TestReconcileMillion -v
func TestReconcileMillion(t *testing.T) {
	env := os.Getenv("LEDGERGATE_BENCH_RECONCILE")
	if env == "" {
		t.Skip("set LEDGERGATE_BENCH_RECONCILE=1 (or a record count) to run")
	}
	n := 1_000_000
	if v, err := strconv.Atoi(env); err == nil && v > 1 {
		n = v
	}
	t0 := time.Now()
	src, ledgers, diverged := recordedState(t, n)
	setup := time.Since(t0)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := sampleHeap()
	if p := os.Getenv("LEDGERGATE_BENCH_RECONCILE_CPUPROFILE"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			t.Fatal(err)
		}
	}
	e := reconcile.New(reconcile.Config{Source: src, Ledgers: ledgers})
	cpu0 := cpuTime()
	start := time.Now()
	rep, err := e.Run(context.Background(), reconcile.Options{})
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	pprof.StopCPUProfile()
	peakHeap := peak()
	if err != nil {
		t.Fatal(err)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if rep.Records != n || rep.Checks != 3*n || rep.RecordVerdicts[reconcile.Divergent] != diverged {
		t.Fatalf("report: records %d checks %d verdicts %v (want %d divergent)", rep.Records, rep.Checks, rep.RecordVerdicts, diverged)
	}
	t.Logf("reconciled %d records × 3 ledgers (%d checks, %d divergent) in %v (%.0f records/s); CPU time (user+sys) %v; GOMAXPROCS=%d",
		n, rep.Checks, diverged, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), cpu.Round(time.Millisecond), runtime.GOMAXPROCS(0))
	t.Logf("setup (generate + record state) %v; heap objects before run %d MiB, peak during run %d MiB, after %d MiB; allocated during run %d MiB in %d objects (%.0f B, %.1f objects per record) in %d GC cycles; peak RSS %s",
		setup.Round(time.Millisecond), before.HeapAlloc>>20, peakHeap>>20, after.HeapAlloc>>20, (after.TotalAlloc-before.TotalAlloc)>>20, after.Mallocs-before.Mallocs,
		float64(after.TotalAlloc-before.TotalAlloc)/float64(n), float64(after.Mallocs-before.Mallocs)/float64(n), after.NumGC-before.NumGC, rssHWM())
}

// cpuTime is the process's user + system CPU time so far.
func cpuTime() time.Duration {
	cpu, _ := cputime.Process()
	return cpu
}

// sampleHeap samples the bytes in live and unswept heap objects every
// 10 ms (runtime/metrics: no stop-the-world) until the returned function
// is called; that returns the highest sample.
func sampleHeap() func() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(s); return s[0].Value.Uint64() }
	var peak atomic.Uint64
	peak.Store(read())
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if v := read(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		if v := read(); v > peak.Load() {
			peak.Store(v)
		}
		return peak.Load()
	}
}

func BenchmarkReconcile(b *testing.B) {
	const n = 20_000
	src, ledgers, _ := recordedState(b, n)
	e := reconcile.New(reconcile.Config{Source: src, Ledgers: ledgers})
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := e.Run(context.Background(), reconcile.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkStoreSourceScan reads the gateway's side of a reconciliation
// from a SQLite store of 20,000 records with two deliveries each: with
// the store's one-query-per-page delivery read, and with one query per
// record (a store without store.VersionDeliveries). ns/op is per record.
func BenchmarkStoreSourceScan(b *testing.B) {
	const n = 20000
	st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "scan.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range 64 {
		wg.Go(func() {
			for i := next.Add(1); i <= n; i = next.Add(1) {
				v := sensor(b, fmt.Sprintf("urn:uuid:00000000-0000-4000-8000-%012d", i), "1420", "")
				sv := store.Version{RecordID: v.ID, Digest: v.Digest, Type: v.Type, SchemaVersion: v.SchemaVersion, Issuer: v.Issuer.ID, Partner: "p", Canonical: v.Canonical}
				if _, err := st.Accept(ctx, sv, []store.NewDelivery{{Ledger: "a"}, {Ledger: "b"}}, store.AuditEntry{}); err != nil {
					panic(err)
				}
			}
		})
	}
	wg.Wait()
	for _, c := range []struct {
		name string
		st   store.Store
	}{{"page-query", st}, {"per-record", struct{ store.Store }{st}}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				seen := 0
				err := reconcile.StoreSource{Store: c.st}.Scan(ctx, 0, func(items []reconcile.Item) error {
					for _, it := range items {
						if len(it.Deliveries) != 2 {
							return fmt.Errorf("record %s: %d deliveries", it.Version.RecordID, len(it.Deliveries))
						}
					}
					seen += len(items)
					return nil
				})
				if err != nil || seen != n {
					b.Fatalf("scan: %v, %d records", err, seen)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
		})
	}
}
