package reconcile_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/reconcile"
	"github.com/ledgergate/ledgergate/schema"
)

func TestWriteReport(t *testing.T) {
	g, ls := memoryGateway(t)
	a := sensor(t, "", "1", "")
	g.submit(t, a)
	g.submit(t, sensor(t, "", "2", ""))
	g.relay(t)
	ls[2].Tamper(adapters.Entry{RecordID: a.ID, Type: a.Type, Issuer: issuer, Digest: schema.DigestOf([]byte("<script>")), Disclosure: adapters.DisclosureDigest})
	rep := g.run(t, reconcile.Options{})
	dir := filepath.Join(t.TempDir(), "out")
	files, err := reconcile.WriteReport(dir, rep)
	if err != nil || len(files) != 3 {
		t.Fatalf("%v %v", files, err)
	}
	var back reconcile.Report
	b, _ := os.ReadFile(filepath.Join(dir, reconcile.ReportJSON))
	if err := json.Unmarshal(b, &back); err != nil || back.Records != 2 || len(back.Findings) != 1 {
		t.Fatalf("json: %v %+v", err, back)
	}
	f, _ := os.Open(filepath.Join(dir, reconcile.ReportCSV))
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 2 || rows[1][0] != a.ID || rows[1][1] != "digest" || rows[1][2] != "divergent" {
		t.Fatalf("csv: %v %v", rows, err)
	}
	h, _ := os.ReadFile(filepath.Join(dir, reconcile.ReportHTML))
	html := string(h)
	for _, want := range []string{"<svg", "<rect", a.ID, "divergent", "all records"} {
		if !strings.Contains(html, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "src=", "href=\"http", "<link"} {
		if strings.Contains(html, bad) {
			t.Errorf("html is not self-contained or not escaped: contains %q", bad)
		}
	}
	if s := rep.Summary(); !strings.Contains(s, "1 divergent") || !strings.Contains(s, "1 consistent") {
		t.Errorf("summary %q", s)
	}
}
