package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/gateway/store/sqlite"
	"github.com/ledgergate/ledgergate/schema"
)

// TestStoreCheck: `store check` passes on a store the gateway wrote and
// exits 1 naming the broken relation once a version row is gone.
func TestStoreCheck(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "gw.yaml", "store: {driver: sqlite, dsn: gw.db}\n")
	s, err := sqlite.Open(context.Background(), filepath.Join(dir, "gw.db"))
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"id":"urn:uuid:5e1d6a2b-0000-4000-8000-000000000001"}`)
	v := store.Version{RecordID: "urn:uuid:5e1d6a2b-0000-4000-8000-000000000001", Digest: schema.DigestOf(body), Type: "SensorReading", SchemaVersion: "1.0",
		Issuer: "did:web:a.example", Partner: "a", Canonical: body, IssuedAt: time.Now(), HSCodes: []string{"721320"}}
	if _, err := s.Accept(context.Background(), v, []store.NewDelivery{{Ledger: "chain"}}, store.AuditEntry{Actor: "a", Action: "record.accepted"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if code, out, errOut := runCLI(t, "", "--config", cfg, "store", "check"); code != exitOK || !strings.Contains(out, "sqlite store: ok") {
		t.Fatalf("intact store: exit %d\n%s%s", code, out, errOut)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "gw.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM versions`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, _, errOut := runCLI(t, "", "--config", cfg, "store", "check")
	if code != exitInvalid || !strings.Contains(errOut, "1 deliveries of a missing version") {
		t.Fatalf("damaged store: exit %d\n%s", code, errOut)
	}
}
