// Package config loads ledgergate's YAML configuration.
package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ledgergate/ledgergate/gateway/auth"
	"github.com/ledgergate/ledgergate/gateway/routing"
	"github.com/ledgergate/ledgergate/schema"
	"go.yaml.in/yaml/v3"
)

// Config is the whole configuration file. `ledgergate config init`
// writes an annotated example (example.yaml in this package).
type Config struct {
	// Listen is the API's address (default 127.0.0.1:8080).
	Listen string `yaml:"listen"`
	TLS    TLS    `yaml:"tls"`
	Store  Store  `yaml:"store"`
	Schema Schema `yaml:"schema"`
	// Ledgers are the ledgers the gateway writes to.
	Ledgers  []Ledger        `yaml:"ledgers"`
	Routes   []routing.Route `yaml:"routes"`
	Accounts []auth.Account  `yaml:"accounts"`
	Relay    Relay           `yaml:"relay"`
	// Sources are partners' own ledgers the gateway watches, and Events
	// the live event stream, webhooks and NATS (watch.go).
	Sources []Source `yaml:"sources"`
	Events  Events   `yaml:"events"`
	Log     Log      `yaml:"log"`
	// ShutdownTimeout bounds graceful shutdown (default 30s).
	ShutdownTimeout time.Duration `yaml:"shutdownTimeout"`
	// RequestTimeout bounds each API request (default 30s).
	RequestTimeout time.Duration `yaml:"requestTimeout"`
	// MaxRecordsInFlight bounds the records being validated and stored at
	// once (0: 4096); a submission that finds no room within AdmissionWait
	// (0: 5s) is answered 503 overloaded with Retry-After.
	MaxRecordsInFlight int           `yaml:"maxRecordsInFlight"`
	AdmissionWait      time.Duration `yaml:"admissionWait"`
	// MaxBodyBytesInFlight bounds the bytes of the submission bodies being
	// read and processed at once (0: 256 MiB, eight of the largest batch
	// bodies); a request takes room for its Content-Length before its
	// body is read, with the same wait and answer as MaxRecordsInFlight.
	MaxBodyBytesInFlight int64 `yaml:"maxBodyBytesInFlight"`
	// Reconcile schedules reconciliation runs (reconcile.go).
	Reconcile Reconcile `yaml:"reconcile"`
}

// TLS enables HTTPS and, with ClientCA, mutual TLS.
type TLS struct {
	Cert     string `yaml:"cert"`
	Key      string `yaml:"key"`
	ClientCA string `yaml:"clientCA"`
}

// Store selects the database.
type Store struct {
	Driver string `yaml:"driver"` // sqlite (default) or postgres
	// DSN is the SQLite file path or the PostgreSQL URL.
	DSN string `yaml:"dsn"`
	// CheckpointPages (SQLite only) is how many pages the write-ahead
	// log takes before the writer copies them into the database file; 0
	// means sqlite.DefaultCheckpointPages.
	CheckpointPages int `yaml:"checkpointPages"`
}

// Ledger configures one ledger adapter.
type Ledger struct {
	Name string `yaml:"name"`
	Kind string `yaml:"kind"` // memory, ethereum, factom
	// KeyFile holds the signing key (Ethereum: hex private key; Factom: an
	// Es... entry-credit secret); or LEDGERGATE_LEDGER_<NAME>_KEY.
	KeyFile string `yaml:"keyFile"`
	// Ethereum settings (kind ethereum).
	RPC           string `yaml:"rpc"`
	Registry      string `yaml:"registry"`
	Deploy        bool   `yaml:"deploy"` // deploy a new registry when Registry is empty
	Confirmations uint64 `yaml:"confirmations"`
	// Factom settings (kind factom): the v2 API of a node (factomd or
	// another gateway's embedded node), or Embedded to run the project's
	// own Factom-protocol node inside the gateway.
	URL       string        `yaml:"url"`
	Namespace string        `yaml:"namespace"` // chain namespace (default "ledgergate")
	Embedded  *EmbeddedNode `yaml:"embedded"`
	// Fabric settings (kind fabric): a peer's Gateway service and the
	// client identity that signs (paths relative to this file).
	Peer       string `yaml:"peer"`       // host:port
	TLSCACert  string `yaml:"tlsCACert"`  // PEM of the CA of the peer's TLS certificate
	ServerName string `yaml:"serverName"` // TLS name override
	MSPID      string `yaml:"mspId"`
	CertFile   string `yaml:"certFile"` // the signing identity's X.509 certificate (PEM)
	Channel    string `yaml:"channel"`
	Chaincode  string `yaml:"chaincode"`
}

// EmbeddedNode runs the embedded Factom-protocol node.
type EmbeddedNode struct {
	// DataDir holds the node's durable log (relative to the config file).
	DataDir string `yaml:"dataDir"`
	// Listen serves the node's v2 API (default 127.0.0.1:8088) so outside
	// tools and other gateways can read it.
	Listen string `yaml:"listen"`
	// BlockTime seals a directory block this often (default 2s).
	BlockTime time.Duration `yaml:"blockTime"`
}

// Relay tunes the relay; zero values take the relay's defaults.
type Relay struct {
	Workers     int           `yaml:"workers"`     // concurrent deliveries (default 64)
	MaxAttempts int           `yaml:"maxAttempts"` // attempts before a delivery fails (default 50)
	Lease       time.Duration `yaml:"lease"`       // how long a claim is reserved (default 1m)
}

func (r Relay) validate() []error {
	var errs []error
	if r.Workers < 0 || r.Workers > 4096 {
		errs = append(errs, fmt.Errorf("relay.workers %d: want 0 (default) to 4096", r.Workers))
	}
	if r.MaxAttempts < 0 {
		errs = append(errs, fmt.Errorf("relay.maxAttempts %d: want 0 (default) or more", r.MaxAttempts))
	}
	if r.Lease < 0 || (r.Lease > 0 && r.Lease < time.Second) {
		errs = append(errs, fmt.Errorf("relay.lease %v: want 0 (default) or at least 1s", r.Lease))
	}
	return errs
}

// Log configures structured logs.
type Log struct {
	Level  string `yaml:"level"`  // debug, info, warn, error
	Format string `yaml:"format"` // json (default) or text
}

// Schema configures the record-type registry.
type Schema struct {
	// MaxSize is the largest accepted record in bytes (default 1 MiB).
	MaxSize int `yaml:"maxSize"`
	// Types lists JSON Schema files of deployment-specific record types.
	// Relative paths are relative to the configuration file.
	Types []string `yaml:"types"`
}

// ErrInvalid wraps every configuration error.
var ErrInvalid = errors.New("invalid configuration")

// Load reads a YAML configuration file, rejecting unknown keys, then
// applies environment overrides (see ApplyEnv).
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w: %v", path, ErrInvalid, err)
	}
	dir := filepath.Dir(path)
	rel := func(p *string) {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	for i := range c.Schema.Types {
		rel(&c.Schema.Types[i])
	}
	rel(&c.TLS.Cert)
	rel(&c.TLS.Key)
	rel(&c.TLS.ClientCA)
	for i := range c.Ledgers {
		rel(&c.Ledgers[i].KeyFile)
		rel(&c.Ledgers[i].TLSCACert)
		rel(&c.Ledgers[i].CertFile)
		if e := c.Ledgers[i].Embedded; e != nil {
			rel(&e.DataDir)
		}
	}
	c.relWatch(rel)
	if c.Store.Driver == "" || c.Store.Driver == "sqlite" {
		rel(&c.Store.DSN)
	}
	if err := c.ApplyEnv(os.Getenv); err != nil {
		return nil, err
	}
	return &c, nil
}

// ApplyEnv overrides settings from environment variables:
// LEDGERGATE_LISTEN, LEDGERGATE_STORE_DRIVER, LEDGERGATE_STORE_DSN,
// LEDGERGATE_STORE_CHECKPOINT_PAGES (pages), LEDGERGATE_LOG_LEVEL,
// LEDGERGATE_SCHEMA_MAX_SIZE (bytes) and LEDGERGATE_SCHEMA_TYPES (a comma-separated list of schema files,
// appended to the configured ones).
func (c *Config) ApplyEnv(getenv func(string) string) error {
	for name, dst := range map[string]*string{
		"LEDGERGATE_LISTEN": &c.Listen, "LEDGERGATE_STORE_DRIVER": &c.Store.Driver,
		"LEDGERGATE_STORE_DSN": &c.Store.DSN, "LEDGERGATE_LOG_LEVEL": &c.Log.Level,
	} {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	if v := getenv("LEDGERGATE_STORE_CHECKPOINT_PAGES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return fmt.Errorf("LEDGERGATE_STORE_CHECKPOINT_PAGES=%q: %w: want a number of pages (0: the default)", v, ErrInvalid)
		}
		c.Store.CheckpointPages = n
	}
	if v := getenv("LEDGERGATE_SCHEMA_MAX_SIZE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return fmt.Errorf("LEDGERGATE_SCHEMA_MAX_SIZE=%q: %w: want a positive number of bytes", v, ErrInvalid)
		}
		c.Schema.MaxSize = n
	}
	if v := getenv("LEDGERGATE_SCHEMA_TYPES"); v != "" {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				c.Schema.Types = append(c.Schema.Types, p)
			}
		}
	}
	return nil
}

// Registry builds the schema registry the configuration describes.
func (s Schema) Registry() (*schema.Registry, error) {
	var opts []schema.Option
	if s.MaxSize != 0 {
		if s.MaxSize < 0 {
			return nil, fmt.Errorf("schema.maxSize %d: %w: must be positive", s.MaxSize, ErrInvalid)
		}
		opts = append(opts, schema.WithMaxSize(s.MaxSize))
	}
	reg, err := schema.NewRegistry(opts...)
	if err != nil {
		return nil, err
	}
	for _, t := range s.Types {
		if _, err := reg.RegisterFile(t); err != nil {
			return nil, fmt.Errorf("schema.types: %w", err)
		}
	}
	return reg, nil
}

// Defaults fills in unset settings.
func (c *Config) Defaults() {
	if c.Listen == "" {
		c.Listen = "127.0.0.1:8080"
	}
	if c.Store.Driver == "" {
		c.Store.Driver = "sqlite"
	}
	if c.Store.DSN == "" && c.Store.Driver == "sqlite" {
		c.Store.DSN = "ledgergate.db"
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = 30 * time.Second
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 30 * time.Second
	}
	if c.Log.Level == "" {
		c.Log.Level = "info"
	}
	if c.Log.Format == "" {
		c.Log.Format = "json"
	}
}

// Validate reports every problem with the configuration at once.
func (c *Config) Validate() error {
	var errs []error
	switch c.Store.Driver {
	case "sqlite", "postgres":
	default:
		errs = append(errs, fmt.Errorf("store.driver %q: want sqlite or postgres", c.Store.Driver))
	}
	if c.Store.DSN == "" {
		errs = append(errs, fmt.Errorf("store.dsn: required"))
	}
	if c.MaxRecordsInFlight < 0 {
		errs = append(errs, fmt.Errorf("maxRecordsInFlight %d: want a number of records, or 0 for the default", c.MaxRecordsInFlight))
	}
	if c.MaxBodyBytesInFlight < 0 {
		errs = append(errs, fmt.Errorf("maxBodyBytesInFlight %d: want a number of bytes, or 0 for the default", c.MaxBodyBytesInFlight))
	}
	if c.AdmissionWait < 0 {
		errs = append(errs, fmt.Errorf("admissionWait %v: want a duration, or 0 for the default", c.AdmissionWait))
	}
	if c.Store.CheckpointPages < 0 {
		errs = append(errs, fmt.Errorf("store.checkpointPages %d: want a number of pages, or 0 for the default", c.Store.CheckpointPages))
	}
	if (c.TLS.Cert == "") != (c.TLS.Key == "") {
		errs = append(errs, fmt.Errorf("tls: cert and key go together"))
	}
	if c.TLS.ClientCA != "" && c.TLS.Cert == "" {
		errs = append(errs, fmt.Errorf("tls.clientCA: mutual TLS needs tls.cert and tls.key"))
	}
	names := map[string]bool{}
	for i, l := range c.Ledgers {
		where := fmt.Sprintf("ledgers[%d] (%s)", i, l.Name)
		if l.Name == "" {
			errs = append(errs, fmt.Errorf("%s: name is required", where))
		}
		if names[l.Name] {
			errs = append(errs, fmt.Errorf("%s: duplicate name", where))
		}
		names[l.Name] = true
		switch l.Kind {
		case "memory":
		case "ethereum":
			if l.RPC == "" {
				errs = append(errs, fmt.Errorf("%s: rpc is required", where))
			}
			if l.Registry == "" && !l.Deploy {
				errs = append(errs, fmt.Errorf("%s: set registry (the contract address) or deploy: true", where))
			}
		case "factom":
			switch {
			case l.Embedded == nil && l.URL == "":
				errs = append(errs, fmt.Errorf("%s: set url (a node's v2 API) or embedded", where))
			case l.Embedded != nil && l.URL != "":
				errs = append(errs, fmt.Errorf("%s: url and embedded exclude each other", where))
			case l.Embedded != nil && l.Embedded.DataDir == "":
				errs = append(errs, fmt.Errorf("%s: embedded.dataDir is required", where))
			}
		case "fabric":
			for field, v := range map[string]string{"peer": l.Peer, "tlsCACert": l.TLSCACert, "mspId": l.MSPID, "certFile": l.CertFile, "keyFile": l.KeyFile, "channel": l.Channel, "chaincode": l.Chaincode} {
				if v == "" {
					errs = append(errs, fmt.Errorf("%s: %s is required for a fabric ledger", where, field))
				}
			}
		default:
			errs = append(errs, fmt.Errorf("%s: kind %q: want memory, ethereum, factom or fabric", where, l.Kind))
		}
	}
	errs = append(errs, c.validateWatch()...)
	errs = append(errs, c.Relay.validate()...)
	errs = append(errs, c.Reconcile.validate()...)
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log.level %q: want debug, info, warn or error", c.Log.Level))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", ErrInvalid, errors.Join(errs...))
	}
	return nil
}

// LedgerNames lists the configured ledger names.
func (c *Config) LedgerNames() []string {
	var out []string
	for _, l := range c.Ledgers {
		out = append(out, l.Name)
	}
	return out
}

//go:embed example.yaml
var example []byte

// Example returns the annotated example configuration.
func Example() []byte { return append([]byte(nil), example...) }
