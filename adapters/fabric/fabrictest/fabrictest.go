// Package fabrictest gives tests a running Fabric test network: the one
// testnet/fabric/up.sh brings up (one orderer, a customs and a partner
// organization with one peer each, TLS, the Gateway service, the records
// chaincode as a service, and a partner's own chaincode, originreg, that
// the gateway watches).
//
// Need reads the network's connection file (LEDGERGATE_FABRIC_CONNECTION,
// default ~/.cache/ledgergate/fabric/run/connection.json). When the file is
// missing or its peers do not answer, Need runs testnet/fabric/up.sh once
// per test process (building Fabric into the cache on first use) and Main
// stops that network again after the tests. When the network cannot be had,
// Need skips the test, or fails it when CI=true (internal/testenv).
package fabrictest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/ledgergate/ledgergate/adapters/fabric"
	"github.com/ledgergate/ledgergate/internal/testenv"
)

// EnvConnection names the connection file; EnvNoStart=1 makes Need use
// only a network that is already up.
const (
	EnvConnection = "LEDGERGATE_FABRIC_CONNECTION"
	EnvNoStart    = "LEDGERGATE_FABRIC_NO_START"
)

// Connection is the connection file testnet/fabric/up.sh writes.
type Connection struct {
	FabricVersion     string `json:"fabricVersion"`
	Channel           string `json:"channel"`
	Chaincode         string `json:"chaincode"`
	EndorsementPolicy string `json:"endorsementPolicy"`
	// PartnerChaincode is the partner's own chaincode (originreg,
	// testnet/fabric/partnercc) on the same channel.
	PartnerChaincode         string `json:"partnerChaincode"`
	PartnerEndorsementPolicy string `json:"partnerEndorsementPolicy"`
	OrdererEndpoint          string `json:"ordererEndpoint"`
	OrdererTLSCACert         string `json:"ordererTLSCACert"`
	NetDir                   string `json:"netDir"`
	PIDFile                  string `json:"pidFile"`
	Orgs                     []Org  `json:"orgs"`
}

// Org is one peer organization of the network and a user of it.
type Org struct {
	Name             string `json:"name"` // "customs" or "partner"
	MSPID            string `json:"mspId"`
	PeerEndpoint     string `json:"peerEndpoint"`
	PeerHostOverride string `json:"peerHostOverride"`
	TLSCACert        string `json:"tlsCACert"`
	UserCert         string `json:"userCert"`
	UserKey          string `json:"userKey"`
	AdminCert        string `json:"adminCert"`
	AdminKey         string `json:"adminKey"`
}

// DefaultPath returns the connection file's path.
func DefaultPath() string {
	if p := os.Getenv(EnvConnection); p != "" {
		return p
	}
	base := os.Getenv("XDG_CACHE_HOME")
	if base == "" {
		home, _ := os.UserHomeDir()
		base = filepath.Join(home, ".cache")
	}
	return filepath.Join(base, "ledgergate", "fabric", "run", "connection.json")
}

// Load reads a connection file.
func Load(path string) (*Connection, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c Connection
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(c.Orgs) == 0 || c.Channel == "" || c.Chaincode == "" {
		return nil, fmt.Errorf("%s: incomplete connection file", path)
	}
	return &c, nil
}

// Org returns the organization with this name ("customs", "partner").
func (c *Connection) Org(name string) (Org, bool) {
	for _, o := range c.Orgs {
		if o.Name == name {
			return o, true
		}
	}
	return Org{}, false
}

// Config returns the fabric.Dial configuration of the org's user.
func (o Org) Config() fabric.Config {
	return fabric.Config{Endpoint: o.PeerEndpoint, TLSCACert: o.TLSCACert, ServerName: o.PeerHostOverride,
		MSPID: o.MSPID, CertPath: o.UserCert, KeyPath: o.UserKey}
}

// Dial returns an adapter for the org's user, on the network's channel and
// chaincode, that owns its connection.
func (c *Connection) Dial(ctx context.Context, org string, opts ...fabric.Option) (*fabric.Adapter, error) {
	o, ok := c.Org(org)
	if !ok {
		return nil, fmt.Errorf("fabrictest: no org %q in the connection file", org)
	}
	opts = append([]fabric.Option{fabric.WithChannel(c.Channel), fabric.WithChaincode(c.Chaincode)}, opts...)
	return fabric.Dial(ctx, o.Config(), opts...)
}

// Connect returns a raw fabric-gateway connection as the org's user (for
// chaincodes other than the records chaincode); closeFn closes it.
func (c *Connection) Connect(org string, opts ...client.ConnectOption) (*client.Gateway, func() error, error) {
	o, ok := c.Org(org)
	if !ok {
		return nil, nil, fmt.Errorf("fabrictest: no org %q in the connection file", org)
	}
	return fabric.Connect(o.Config(), opts...)
}

// reachable checks that every peer and the orderer accept connections.
func (c *Connection) reachable() error {
	eps := []string{c.OrdererEndpoint}
	for _, o := range c.Orgs {
		eps = append(eps, o.PeerEndpoint)
	}
	for _, ep := range eps {
		conn, err := net.DialTimeout("tcp", ep, 2*time.Second)
		if err != nil {
			return err
		}
		conn.Close()
	}
	return nil
}

var (
	once    sync.Once
	net0    *Connection
	netErr  error
	started string // testnet dir whose up.sh this process ran
)

// Need returns the running test network, bringing it up first if needed
// (see the package documentation). It skips t, or fails it when CI=true,
// when no network can be had.
func Need(t testing.TB) *Connection {
	t.Helper()
	once.Do(func() { net0, netErr = ensure() })
	testenv.Need(t, "the Fabric test network (testnet/fabric/up.sh)", netErr)
	return net0
}

// NeedPartnerChaincode is Need for tests of the partner's own chaincode:
// it also skips (fails in CI) when the running network was started by an
// up.sh that did not deploy it.
func NeedPartnerChaincode(t testing.TB) *Connection {
	t.Helper()
	c := Need(t)
	var err error
	if c.PartnerChaincode == "" {
		err = fmt.Errorf("the running network has no partner chaincode (an older up.sh started it): run testnet/fabric/down.sh, then up.sh")
	}
	testenv.Need(t, "the Fabric test network's partner chaincode", err)
	return c
}

func ensure() (*Connection, error) {
	path := DefaultPath()
	if c, err := Load(path); err == nil && c.reachable() == nil {
		return c, nil
	}
	if os.Getenv(EnvNoStart) == "1" {
		return nil, fmt.Errorf("no reachable network at %s and %s=1", path, EnvNoStart)
	}
	dir, err := TestnetDir()
	if err != nil {
		return nil, err
	}
	if os.Getenv(EnvConnection) != "" {
		return nil, fmt.Errorf("%s=%s is not a reachable network; not starting one elsewhere", EnvConnection, path)
	}
	cmd := exec.Command(filepath.Join(dir, "up.sh"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%s failed: %w\n%s", cmd.Path, err, tail(out, 2000))
	}
	started = dir
	c, err := Load(path)
	if err != nil {
		return nil, err
	}
	return c, c.reachable()
}

// TestnetDir returns testnet/fabric of the source tree this package was
// built from.
func TestnetDir() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("fabrictest: cannot locate the source tree")
	}
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "testnet", "fabric")
	if _, err := os.Stat(filepath.Join(dir, "up.sh")); err != nil {
		return "", fmt.Errorf("fabrictest: testnet/fabric/up.sh not found: %w", err)
	}
	return dir, nil
}

// Main runs the tests and then stops the network if Need started it:
//
//	func TestMain(m *testing.M) { os.Exit(fabrictest.Main(m)) }
func Main(m *testing.M) int {
	code := m.Run()
	if started != "" {
		out, err := exec.Command(filepath.Join(started, "down.sh")).CombinedOutput()
		if err != nil {
			fmt.Fprintf(os.Stderr, "fabrictest: down.sh: %v\n%s", err, out)
		}
	}
	return code
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}
