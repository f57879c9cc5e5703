package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ledgergate/ledgergate/gateway/reconcile"
	"github.com/ledgergate/ledgergate/gateway/server"
	"github.com/ledgergate/ledgergate/internal/config"
	"github.com/spf13/cobra"
)

func (a *app) reconcileCmd() *cobra.Command {
	var (
		incremental, quiet, ledgers, missing bool
		records                              []string
		reportDir, legacy, mapping           string
	)
	cmd := &cobra.Command{
		Use:   "reconcile --config FILE [--incremental | --record ID...] [--report DIR] [--legacy EXPORT --mapping FILE]",
		Short: "Compare what the gateway accepted with what every ledger holds (exit 0 consistent, 1 discrepancies, 2 usage)",
		Long: `Reconcile reads every record the gateway accepted (or, with --incremental,
those accepted since the last run plus those with open discrepancies) and
reads each ledger its routes name through the ledger's adapter. Findings are
stored as discrepancies (GET /v1/discrepancies) and, with --report DIR,
written as reconcile.json, reconcile.csv and reconcile.html.

With --legacy and --mapping it compares a legacy system's CSV or JSON
export with the gateway (and with --ledgers, with every ledger copy that
holds content) instead. See docs/reconciliation.md.

Ledgers are opened as 'serve' opens them: run it on the gateway's host
against the same configuration (memory ledgers live only inside a running
gateway; use POST /v1/reconcile there).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.configPath == "" {
				return usageErr("reconcile needs --config FILE")
			}
			if (legacy == "") != (mapping == "") {
				return usageErr("--legacy and --mapping go together")
			}
			if legacy != "" && (incremental || len(records) > 0) {
				return usageErr("--legacy compares an export; it does not take --incremental or --record")
			}
			cfg, err := config.Load(a.configPath)
			if err != nil {
				return usageErr("%v", err)
			}
			var m reconcile.Mapping
			var rows []reconcile.LegacyRow
			if legacy != "" {
				if m, err = reconcile.LoadMapping(mapping); err != nil {
					return usageErr("%v", err)
				}
				f, err := os.Open(legacy)
				if err != nil {
					return usageErr("%v", err)
				}
				rows, err = reconcile.ReadLegacy(f, legacy, m)
				f.Close()
				if err != nil {
					return usageErr("%s: %v", legacy, err)
				}
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			g, err := server.New(ctx, cfg, server.WithLogger(slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
			if err != nil {
				return usageErr("%v", err)
			}
			defer g.Close()
			bar := newProgress(a.stdout, len(rows), quiet)
			var rep *reconcile.Report
			if legacy != "" {
				rep, err = g.Reconciler().CompareLegacy(ctx, rows, m, reconcile.LegacyOptions{Ledgers: ledgers, MissingFromExport: missing, Progress: bar.update})
			} else {
				rep, err = g.Reconcile(ctx, reconcile.Options{Incremental: incremental, RecordIDs: records, Progress: bar.update})
			}
			bar.done()
			if errors.Is(err, server.ErrReconcileBusy) {
				return &exitError{code: exitUsage, err: fmt.Errorf("%w: a gateway's periodic run or another command; try again when it is done", err)}
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, rep.Summary())
			printFindings(a.stdout, rep, 20)
			if reportDir != "" {
				files, err := reconcile.WriteReport(reportDir, rep)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "report: %s\n", strings.Join(files, ", "))
			}
			if len(rep.Findings) > 0 && rep.RecordVerdicts[reconcile.Pending] < rep.Records-rep.RecordVerdicts[reconcile.Consistent] {
				return &exitError{code: exitInvalid, err: fmt.Errorf("")}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&incremental, "incremental", false, "only records accepted since the last run, plus those with open discrepancies")
	f.StringArrayVar(&records, "record", nil, "reconcile this record id (repeatable)")
	f.StringVar(&reportDir, "report", "", "write reconcile.json, reconcile.csv and reconcile.html into DIR")
	f.StringVar(&legacy, "legacy", "", "a legacy system's export (CSV with a header row, or JSON) to compare with the gateway")
	f.StringVar(&mapping, "mapping", "", "the export's column mapping (YAML or JSON; docs/reconciliation.md)")
	f.BoolVar(&ledgers, "ledgers", false, "with --legacy: also compare the export with every ledger copy that holds content")
	f.BoolVar(&missing, "missing", false, "with --legacy: also report gateway records the export lacks")
	f.BoolVar(&quiet, "quiet", false, "no progress bar")
	return cmd
}

func printFindings(w io.Writer, rep *reconcile.Report, limit int) {
	n := 0
	for _, f := range rep.Findings {
		if f.Verdict == reconcile.Consistent || f.Verdict == reconcile.Pending {
			continue
		}
		if n == limit {
			fmt.Fprintf(w, "  ... (see --report for all)\n")
			return
		}
		n++
		v := string(f.Verdict)
		if f.Version != "" {
			v += " (" + f.Version + " version)"
		}
		fmt.Fprintf(w, "  %s on %s: %s — %s\n", f.RecordID, f.Ledger, v, f.Reason)
		for _, d := range f.Fields {
			fmt.Fprintf(w, "      %s: %s → %s\n", d.Pointer, orAbsent(d.Expected), orAbsent(d.Found))
		}
	}
}

func orAbsent(b []byte) string {
	if len(b) == 0 {
		return "(absent)"
	}
	return string(b)
}

// progress draws a progress line on a terminal (nothing otherwise).
type progress struct {
	w     io.Writer
	on    bool
	total int
	start time.Time
	last  time.Time
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func newProgress(w io.Writer, total int, quiet bool) *progress {
	return &progress{w: w, on: !quiet && isTerminal(w), total: total, start: time.Now()}
}

func (p *progress) update(done int) {
	if !p.on || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	rate := float64(done) / max(time.Since(p.start).Seconds(), 1e-3)
	if p.total > 0 {
		const width = 30
		fill := min(width, done*width/p.total)
		fmt.Fprintf(p.w, "\r[%s%s] %d/%d records, %.0f/s ", strings.Repeat("#", fill), strings.Repeat(".", width-fill), done, p.total, rate)
		return
	}
	spin := `|/-\`[int(time.Since(p.start)/(200*time.Millisecond))%4]
	fmt.Fprintf(p.w, "\r%c %d records checked, %.0f/s ", spin, done, rate)
}

func (p *progress) done() {
	if p.on && !p.last.IsZero() {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
