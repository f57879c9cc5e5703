package config

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Source is a partner's own ledger the gateway watches (docs/watching.md).
type Source struct {
	Name string `yaml:"name"`
	Kind string `yaml:"kind"` // ethereum, factom or fabric
	// Partner is the account (role partner) the mapped records belong to:
	// its routes apply, and the records' issuer must be its issuer
	// unless AnyIssuer.
	Partner   string `yaml:"partner"`
	AnyIssuer bool   `yaml:"anyIssuer"`
	// Mapping is a jq program from the native payload to a record;
	// MappingFile reads it from a file (relative to the config file).
	Mapping     string `yaml:"mapping"`
	MappingFile string `yaml:"mappingFile"`
	// Ethereum (kind ethereum): the contract, its ABI file (a JSON array
	// or an artifact with "abi"), the event's name or signature.
	RPC           string `yaml:"rpc"`
	Contract      string `yaml:"contract"`
	ABI           string `yaml:"abi"`
	Event         string `yaml:"event"`
	FromBlock     uint64 `yaml:"fromBlock"`
	Confirmations uint64 `yaml:"confirmations"`
	// Factom (kind factom): a node's v2 API and the chain.
	URL        string `yaml:"url"`
	ChainID    string `yaml:"chainId"`
	FromHeight uint32 `yaml:"fromHeight"`
	// Poll is how often the ledger is asked for new events (default 1s;
	// Ethereum and Factom: Fabric pushes its events).
	Poll time.Duration `yaml:"poll"`
	// Fabric (kind fabric): a peer's Gateway service and the client
	// identity that reads the channel's events (as for a fabric ledger;
	// paths relative to the configuration file), the channel and the
	// partner's chaincode. Event and Events name the chaincode events to
	// map (one or several; none: every event of the chaincode); FromBlock
	// is where an unwatched source starts.
	Peer       string   `yaml:"peer"`
	TLSCACert  string   `yaml:"tlsCACert"`
	ServerName string   `yaml:"serverName"`
	MSPID      string   `yaml:"mspId"`
	CertFile   string   `yaml:"certFile"`
	KeyFile    string   `yaml:"keyFile"`
	Channel    string   `yaml:"channel"`
	Chaincode  string   `yaml:"chaincode"`
	Events     []string `yaml:"events"`
}

// EventNames returns the Fabric event names the source maps: Event and
// Events together (empty: every event).
func (s Source) EventNames() []string {
	var out []string
	if s.Event != "" {
		out = append(out, s.Event)
	}
	for _, e := range s.Events {
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

// Events configures live events (docs/events.md).
type Events struct {
	// RingSize is how many events each instance keeps for stream resumes
	// (default 10000).
	RingSize int `yaml:"ringSize"`
	// NATS shares one event stream between gateway instances through
	// NATS JetStream.
	NATS *NATS `yaml:"nats"`
	// Webhooks receive events over HTTP.
	Webhooks []Webhook `yaml:"webhooks"`
	// LeaseTTL: a source whose instance died is taken over after this
	// long (default 15s).
	LeaseTTL time.Duration `yaml:"leaseTTL"`
}

// NATS names the JetStream stream.
type NATS struct {
	URL     string `yaml:"url"`     // default nats://127.0.0.1:4222
	Stream  string `yaml:"stream"`  // default LEDGERGATE_EVENTS
	Subject string `yaml:"subject"` // default ledgergate.events
	// MaxMsgs bounds the stream (default 1000000); older events are dropped.
	MaxMsgs int64 `yaml:"maxMsgs"`
}

// Webhook is one HTTP endpoint receiving events.
type Webhook struct {
	Name string `yaml:"name"`
	URL  string `yaml:"url"`
	// SecretFile holds the HMAC secret; or LEDGERGATE_WEBHOOK_<NAME>_SECRET.
	SecretFile  string        `yaml:"secretFile"`
	Types       []string      `yaml:"types"`
	Partner     string        `yaml:"partner"`
	RecordType  string        `yaml:"recordType"`
	MaxAttempts int           `yaml:"maxAttempts"`
	Backoff     time.Duration `yaml:"backoff"`
}

func (c *Config) relWatch(rel func(*string)) {
	for i := range c.Sources {
		rel(&c.Sources[i].MappingFile)
		rel(&c.Sources[i].ABI)
		rel(&c.Sources[i].TLSCACert)
		rel(&c.Sources[i].CertFile)
		rel(&c.Sources[i].KeyFile)
	}
	for i := range c.Events.Webhooks {
		rel(&c.Events.Webhooks[i].SecretFile)
	}
}

func (c *Config) validateWatch() []error {
	var errs []error
	partners := map[string]bool{}
	for _, a := range c.Accounts {
		if a.Role == "partner" {
			partners[a.ID] = true
		}
	}
	names := map[string]bool{}
	for i, s := range c.Sources {
		where := fmt.Sprintf("sources[%d] (%s)", i, s.Name)
		if s.Name == "" || strings.ContainsAny(s.Name, " /:") {
			errs = append(errs, fmt.Errorf("%s: name is required (no spaces, slashes or colons)", where))
		}
		if names[s.Name] {
			errs = append(errs, fmt.Errorf("%s: duplicate name", where))
		}
		names[s.Name] = true
		if !partners[s.Partner] {
			errs = append(errs, fmt.Errorf("%s: partner %q is not an account with role partner", where, s.Partner))
		}
		if (s.Mapping == "") == (s.MappingFile == "") {
			errs = append(errs, fmt.Errorf("%s: set exactly one of mapping and mappingFile", where))
		}
		switch s.Kind {
		case "ethereum":
			if s.RPC == "" || s.Contract == "" || s.ABI == "" || s.Event == "" {
				errs = append(errs, fmt.Errorf("%s: rpc, contract, abi and event are required", where))
			}
		case "factom":
			if s.URL == "" || s.ChainID == "" {
				errs = append(errs, fmt.Errorf("%s: url and chainId are required", where))
			}
		case "fabric":
			for _, f := range []struct{ field, v string }{{"peer", s.Peer}, {"tlsCACert", s.TLSCACert}, {"mspId", s.MSPID},
				{"certFile", s.CertFile}, {"keyFile", s.KeyFile}, {"channel", s.Channel}, {"chaincode", s.Chaincode}} {
				if f.v == "" {
					errs = append(errs, fmt.Errorf("%s: %s is required for a fabric source", where, f.field))
				}
			}
			if slices.Contains(s.Events, "") {
				errs = append(errs, fmt.Errorf("%s: events: empty event name", where))
			}
		default:
			errs = append(errs, fmt.Errorf("%s: kind %q: want ethereum, factom or fabric", where, s.Kind))
		}
		if s.Kind != "fabric" && len(s.Events) > 0 {
			errs = append(errs, fmt.Errorf("%s: events (several event names) is for fabric sources; use event", where))
		}
	}
	hooks := map[string]bool{}
	for i, w := range c.Events.Webhooks {
		where := fmt.Sprintf("events.webhooks[%d] (%s)", i, w.Name)
		if w.Name == "" || hooks[w.Name] {
			errs = append(errs, fmt.Errorf("%s: a unique name is required", where))
		}
		hooks[w.Name] = true
		if !strings.HasPrefix(w.URL, "http://") && !strings.HasPrefix(w.URL, "https://") {
			errs = append(errs, fmt.Errorf("%s: url must be http(s)", where))
		}
	}
	if c.Events.RingSize < 0 {
		errs = append(errs, fmt.Errorf("events.ringSize: must not be negative"))
	}
	return errs
}
