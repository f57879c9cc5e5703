package demo

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/ledgergate/ledgergate/internal/config"
)

// fabricConnection is the part of testnet/fabric's connection file
// (written by testnet/fabric/up.sh) the demo needs.
type fabricConnection struct {
	Channel   string `json:"channel"`
	Chaincode string `json:"chaincode"`
	Orgs      []struct {
		Name             string `json:"name"`
		MSPID            string `json:"mspId"`
		PeerEndpoint     string `json:"peerEndpoint"`
		PeerHostOverride string `json:"peerHostOverride"`
		TLSCACert        string `json:"tlsCACert"`
		UserCert         string `json:"userCert"`
		UserKey          string `json:"userKey"`
	} `json:"orgs"`
}

// defaultFabricConnection is where testnet/fabric/up.sh writes it.
func defaultFabricConnection() string {
	if p := os.Getenv("LEDGERGATE_FABRIC_CONNECTION"); p != "" {
		return p
	}
	base := os.Getenv("XDG_CACHE_HOME")
	if base == "" {
		home, _ := os.UserHomeDir()
		base = filepath.Join(home, ".cache")
	}
	return filepath.Join(base, "ledgergate", "fabric", "run", "connection.json")
}

// fabricLedger returns the customs org's ledger configuration when the
// Fabric test network is up, and false otherwise.
func fabricLedger(path string) (config.Ledger, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return config.Ledger{}, false
	}
	var c fabricConnection
	if json.Unmarshal(b, &c) != nil {
		return config.Ledger{}, false
	}
	for _, o := range c.Orgs {
		if o.Name != "customs" {
			continue
		}
		conn, err := net.DialTimeout("tcp", o.PeerEndpoint, 2*time.Second)
		if err != nil {
			return config.Ledger{}, false
		}
		conn.Close()
		return config.Ledger{Name: "customs-fabric", Kind: "fabric", Peer: o.PeerEndpoint, TLSCACert: o.TLSCACert,
			ServerName: o.PeerHostOverride, MSPID: o.MSPID, CertFile: o.UserCert, KeyFile: o.UserKey,
			Channel: c.Channel, Chaincode: c.Chaincode}, true
	}
	return config.Ledger{}, false
}
