package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/gateway/store/sqlite"
)

func rcCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func reconcileConfig(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "lg.yaml")
	os.WriteFile(cfg, []byte(`store: {driver: sqlite, dsn: lg.db}
ledgers: [{name: mem, kind: memory}]
routes: [{name: all, ledgers: [{ledger: mem, disclosure: full}]}]
log: {level: error}
`), 0o600)
	return dir, cfg
}

func TestReconcileCommand(t *testing.T) {
	dir, cfg := reconcileConfig(t)
	code, out, errs := rcCLI(t, "reconcile", "--config", cfg, "--report", filepath.Join(dir, "rep"))
	if code != 0 || !strings.Contains(out, "full reconciliation: 0 records") {
		t.Fatalf("empty store: %d\n%s%s", code, out, errs)
	}
	for _, f := range []string{"reconcile.json", "reconcile.csv", "reconcile.html"} {
		if _, err := os.Stat(filepath.Join(dir, "rep", f)); err != nil {
			t.Error(err)
		}
	}
	if code, _, _ := rcCLI(t, "reconcile", "--config", cfg, "--incremental"); code != 0 {
		t.Fatalf("incremental: %d", code)
	}
	// While another run holds the store's reconcile lease (a gateway's
	// periodic run), a full or incremental run is refused, and says why.
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "lg.db"))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := st.AcquireLease(context.Background(), "reconcile", "serve-elsewhere", time.Minute); err != nil || !ok {
		t.Fatalf("taking the lease: %v %v", ok, err)
	}
	if code, _, errs := rcCLI(t, "reconcile", "--config", cfg); code != 2 || !strings.Contains(errs, "another reconciliation is running") {
		t.Fatalf("run while another holds the lease: %d %s", code, errs)
	}
	if err := st.ReleaseLease(context.Background(), "reconcile", "serve-elsewhere"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if code, _, errs := rcCLI(t, "reconcile", "--config", cfg); code != 0 {
		t.Fatalf("run after the lease was released: %d %s", code, errs)
	}
	// A legacy export whose record the gateway lacks: exit 1, and said.
	os.WriteFile(filepath.Join(dir, "map.yaml"), []byte("name: acs\nid: entry\ncolumns: {reading: /value}\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "export.csv"), []byte("entry,reading\nurn:uuid:1,5\n"), 0o600)
	code, out, _ = rcCLI(t, "reconcile", "--config", cfg, "--legacy", filepath.Join(dir, "export.csv"), "--mapping", filepath.Join(dir, "map.yaml"))
	if code != 1 || !strings.Contains(out, "urn:uuid:1 on gateway: missing") {
		t.Fatalf("legacy: %d\n%s", code, out)
	}
	for _, args := range [][]string{
		{"reconcile"},
		{"reconcile", "--config", cfg, "--legacy", "x.csv"},
		{"reconcile", "--config", cfg, "--legacy", "x.csv", "--mapping", "nope.yaml"},
	} {
		if code, _, _ := rcCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestVerifyCommandUsage(t *testing.T) {
	dir, cfg := reconcileConfig(t)
	rec := filepath.Join(dir, "r.json")
	os.WriteFile(rec, []byte(`{"id":"x","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000"}`), 0o600)
	for _, args := range [][]string{
		{"verify"},
		{"verify", "--config", cfg},
		{"verify", "--config", cfg, "--digest", "md5:1", "--id", "x"},
		{"verify", "--config", cfg, rec, "--id", "x"},
		{"verify", "--config", cfg, rec}, // only a memory ledger: nothing to verify against
	} {
		if code, _, _ := rcCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
