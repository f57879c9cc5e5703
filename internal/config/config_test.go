package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/internal/config"
)

func write(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ledgergate.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExampleLoadsAndValidates(t *testing.T) {
	c, err := config.Load(write(t, string(config.Example())))
	if err != nil {
		t.Fatal(err)
	}
	c.Defaults()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:8080" || c.Store.Driver != "sqlite" || !filepath.IsAbs(c.Store.DSN) || c.Relay.Lease != time.Minute || len(c.Routes) != 1 || len(c.Accounts) != 2 {
		t.Fatalf("example = %+v", c)
	}
}

func TestEnvOverrides(t *testing.T) {
	c := &config.Config{}
	env := map[string]string{"LEDGERGATE_LISTEN": "127.0.0.1:9999", "LEDGERGATE_STORE_DRIVER": "postgres", "LEDGERGATE_STORE_DSN": "postgres://x", "LEDGERGATE_SCHEMA_MAX_SIZE": "2048", "LEDGERGATE_STORE_CHECKPOINT_PAGES": "4096"}
	if err := c.ApplyEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:9999" || c.Store.Driver != "postgres" || c.Store.DSN != "postgres://x" || c.Schema.MaxSize != 2048 || c.Store.CheckpointPages != 4096 {
		t.Fatalf("after env: %+v", c)
	}
	for _, name := range []string{"LEDGERGATE_SCHEMA_MAX_SIZE", "LEDGERGATE_STORE_CHECKPOINT_PAGES"} {
		if err := c.ApplyEnv(func(k string) string {
			if k == name {
				return "lots"
			}
			return ""
		}); !errors.Is(err, config.ErrInvalid) || !strings.Contains(err.Error(), name) {
			t.Fatalf("bad env value of %s: %v", name, err)
		}
	}
}

func TestInvalidConfigsReportEveryProblem(t *testing.T) {
	p := write(t, `
store: {driver: mysql, checkpointPages: -1}
tls: {cert: a.pem}
ledgers:
  - {name: a, kind: ethereum}
  - {name: a, kind: bitcoin}
log: {level: chatty}
maxRecordsInFlight: -1
maxBodyBytesInFlight: -1
admissionWait: -1s
`)
	c, err := config.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	err = c.Validate()
	if !errors.Is(err, config.ErrInvalid) {
		t.Fatalf("Validate = %v", err)
	}
	for _, want := range []string{`store.driver "mysql"`, "store.dsn: required", "store.checkpointPages -1", "cert and key go together", "rpc is required", "set registry", "duplicate name", `kind "bitcoin"`, `log.level "chatty"`, "maxRecordsInFlight -1", "maxBodyBytesInFlight -1", "admissionWait -1s"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
	if _, err := config.Load(write(t, "listen: [1, 2]\n")); !errors.Is(err, config.ErrInvalid) || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("wrong type: %v", err)
	}
	if _, err := config.Load(write(t, "lissen: x\n")); !errors.Is(err, config.ErrInvalid) || !strings.Contains(err.Error(), "lissen") {
		t.Fatalf("unknown key: %v", err)
	}
}
