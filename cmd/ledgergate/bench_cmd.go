package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"runtime/trace"
	"strings"
	"time"

	"github.com/ledgergate/ledgergate/internal/bench"
	"github.com/spf13/cobra"
)

func (a *app) benchCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "bench", Short: "Measure the gateway (figures in docs/performance.md)"}
	var o bench.Options
	var cpuProfile, traceFile string
	ingest := &cobra.Command{
		Use:   "ingest",
		Short: "Records/s through POST /v1/records next to the store's raw insert rate, and latency at fixed rates",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tuneGC()
			dir, err := os.MkdirTemp("", "ledgergate-bench-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			o.Dir = dir
			for _, rec := range []struct {
				path  string
				start func(io.Writer) error
				stop  func()
			}{{cpuProfile, pprof.StartCPUProfile, pprof.StopCPUProfile}, {traceFile, trace.Start, trace.Stop}} {
				if rec.path == "" {
					continue
				}
				f, err := os.Create(rec.path)
				if err != nil {
					return err
				}
				defer f.Close()
				if err := rec.start(f); err != nil {
					return err
				}
				defer rec.stop()
			}
			gc := debug.SetGCPercent(-1)
			debug.SetGCPercent(gc)
			fmt.Fprintf(a.stdout, "ingest benchmark: store=%s, %d clients, %v per run, GOMAXPROCS=%d, GOGC=%d, %s\n", o.Store, o.Concurrency, o.Duration, runtime.GOMAXPROCS(0), gc, time.Now().UTC().Format(time.RFC3339))
			return bench.IngestRun(cmd.Context(), o, func(r bench.Result) { fmt.Fprintln(a.stdout, r) })
		},
	}
	ingest.Flags().StringVar(&o.Store, "store", "sqlite", "sqlite or postgres")
	ingest.Flags().StringVar(&o.DSN, "dsn", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "PostgreSQL DSN (with --store postgres)")
	ingest.Flags().DurationVar(&o.Duration, "duration", 5*time.Second, "length of each measurement")
	ingest.Flags().IntVar(&o.Concurrency, "concurrency", 32, "concurrent clients for the throughput runs")
	ingest.Flags().IntSliceVar(&o.Rates, "rates", []int{1000, 5000}, "fixed request rates for the latency runs")
	ingest.Flags().IntVar(&o.BatchSize, "batch", 200, "records per request in the batch run")
	ingest.Flags().IntVar(&o.BatchClients, "batch-clients", 4, "clients sending batches at once in the batch run (at most --concurrency)")
	ingest.Flags().IntVar(&o.CheckpointPages, "checkpoint-pages", 0, "SQLite: WAL pages before each checkpoint, as serve's store.checkpointPages (0: the default, 32768)")
	ingest.Flags().BoolVar(&o.WriterCPU, "writer-cpu", false, "also measure the store writer's CPU per record (locks its goroutine to one thread: small batches lose some rate)")
	ingest.Flags().BoolVar(&o.SameCodes, "same-codes", false, "give every record the example's HS codes instead of codes drawn from tariff-sized pools")
	ingest.Flags().BoolVar(&o.SequentialIDs, "sequential-ids", false, "give records increasing ids instead of scattered ones like random UUIDs")
	ingest.Flags().BoolVar(&o.Relay, "relay", false, "run the relay (to an in-memory ledger) during the API runs and report the deliveries it finished")
	ingest.Flags().IntVar(&o.RelayWorkers, "relay-workers", 0, "the relay's workers with --relay (serve's relay.workers; default 64)")
	ingest.Flags().DurationVar(&o.Every, "every", 0, "also report each throughput run over every interval of this length (e.g. 10s, for a long --duration)")
	ingest.Flags().StringSliceVar(&o.Runs, "runs", nil, "measurements to run: "+strings.Join(bench.RunNames, ", ")+" (default all)")
	ingest.Flags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	ingest.Flags().StringVar(&traceFile, "trace", "", "write an execution trace of the whole run to this file (go tool trace; large: use a short --duration)")
	cmd.AddCommand(ingest)
	return cmd
}
