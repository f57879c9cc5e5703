package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver

	"github.com/ledgergate/ledgergate/internal/testenv"
)

// TestBenchIngest runs a short benchmark on SQLite and checks that each
// selected measurement stored records without errors, with the store
// writer's figures, and that the others did not run.
func TestBenchIngest(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100)) // the bench tunes the GC
	code, out, errOut := runCLI(t, "", "bench", "ingest", "--runs", "raw,batch", "--duration", "300ms", "--batch", "20", "--batch-clients", "3", "--writer-cpu")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	checkRawAndBatch(t, out)
	if !strings.Contains(out, "POST /v1/records:batch (3×20)") {
		t.Errorf("the batch run did not have the 3 clients asked for:\n%s", out)
	}
	if strings.Contains(out, "clients)") || strings.Contains(out, " at ") {
		t.Errorf("runs not selected were measured:\n%s", out)
	}

	// --every adds a line per interval, each counting records stored;
	// --cpuprofile and --trace write their files.
	dir := t.TempDir()
	prof, tr := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "run.trace")
	code, out, errOut = runCLI(t, "", "bench", "ingest", "--runs", "batch", "--duration", "500ms", "--every", "200ms", "--batch", "20", "--cpuprofile", prof, "--trace", tr)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, f := range []string{prof, tr} {
		if fi, err := os.Stat(f); err != nil || fi.Size() == 0 {
			t.Errorf("%s was not written: %v", f, err)
		}
	}
	interval := regexp.MustCompile(`(?m)^  \S+–\S+ from record (\d+)\s+(\d+) req\s+\d+ /s`)
	lines := interval.FindAllStringSubmatch(out, -1)
	if len(lines) < 2 {
		t.Fatalf("want a line per 200ms interval of a 500ms run, got:\n%s", out)
	}
	next := 0
	for _, m := range lines {
		from, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[2])
		if from != next {
			t.Fatalf("interval lines do not count on from each other:\n%s", out)
		}
		next = from + n
	}
	if next == 0 {
		t.Fatalf("no interval stored a record:\n%s", out)
	}

	// --relay delivers the records the API runs stored, beside them and
	// then alone.
	code, out, errOut = runCLI(t, "", "bench", "ingest", "--runs", "batch", "--duration", "500ms", "--relay", "--batch", "20")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	relayLine := regexp.MustCompile(`(?m)^relay (beside the API runs|alone), (\d+) left\s+(\d+) req\s+\d+ /s$`)
	rl := relayLine.FindAllStringSubmatch(out, -1)
	if len(rl) != 2 {
		t.Fatalf("want the relay's two lines without errors, got:\n%s", out)
	}
	if n, _ := strconv.Atoi(rl[0][3]); n == 0 {
		if n, _ = strconv.Atoi(rl[1][3]); n == 0 {
			t.Fatalf("the relay delivered nothing:\n%s", out)
		}
	}

	code, _, errOut = runCLI(t, "", "bench", "ingest", "--runs", "raw,nope", "--duration", "100ms")
	if code == 0 || !strings.Contains(errOut, `unknown run "nope"`) {
		t.Fatalf("unknown run: exit %d, %s", code, errOut)
	}
	code, _, errOut = runCLI(t, "", "bench", "ingest", "--runs", "raw", "--checkpoint-pages", "-5", "--duration", "100ms")
	if code == 0 || !strings.Contains(errOut, "checkpoint pages -5") {
		t.Fatalf("negative checkpoint window: exit %d, %s", code, errOut)
	}
}

// checkRawAndBatch checks that a run of --runs raw,batch --writer-cpu
// printed a raw and a batch result without errors, each with records
// stored and the store writer's figures (CPU, busy share, records per
// commit).
func checkRawAndBatch(t *testing.T, out string) {
	t.Helper()
	line := regexp.MustCompile(`(?m)^(store\.Accept|POST /v1/records:batch)[^\n]*?(\d+) req\s+(\d+) /s\s+cpu \S+/record\s+faults [0-9.]+/record\s+writer \S+/record busy \d+% (\d+)/commit$`)
	found := line.FindAllStringSubmatch(out, -1)
	if len(found) != 2 {
		t.Fatalf("want a raw and a batch result with the writer's figures and no errors, got:\n%s", out)
	}
	for _, m := range found {
		if n, _ := strconv.Atoi(m[2]); n == 0 {
			t.Errorf("%s stored no records:\n%s", m[1], out)
		}
		if n, _ := strconv.Atoi(m[4]); n < 1 {
			t.Errorf("%s: %d records per commit:\n%s", m[1], n, out)
		}
	}
}

// TestBenchIngestPostgres runs the benchmark on PostgreSQL: each
// measurement stores records, with the store writer's figures, and the
// run's schema is gone afterwards.
func TestBenchIngestPostgres(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	dsn := testenv.PostgresDSN()
	db, err := sql.Open("pgx", dsn)
	if err == nil {
		defer db.Close()
		err = db.Ping()
	}
	testenv.Need(t, "PostgreSQL at "+dsn, err)
	schemas := func() int {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'ledgergate\_bench\_%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := schemas()
	code, out, errOut := runCLI(t, "", "bench", "ingest", "--store", "postgres", "--dsn", dsn, "--runs", "raw,batch", "--duration", "300ms", "--batch", "20", "--writer-cpu")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	checkRawAndBatch(t, out)
	if after := schemas(); after != before {
		t.Errorf("%d bench schemas before the run, %d after: the run's schemas were not dropped", before, after)
	}
}
