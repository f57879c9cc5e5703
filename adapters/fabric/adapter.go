// Package fabric is the ledgergate adapter for Hyperledger Fabric 2.5. It
// talks to a peer's Gateway service with fabric-gateway
// (github.com/hyperledger/fabric-gateway/pkg/client) and to ledgergate's
// records chaincode (testnet/fabric/chaincode), which keeps every version
// of a record write-once under composite keys, validates full records with
// ledgergate's schema package, and emits a RecordWritten chaincode event
// per write.
//
// Writes are endorsed (by as many organizations as the chaincode's
// endorsement policy asks for; the Gateway works that out), sent to the
// orderer and awaited until the commit status is known. Receipts carry the
// transaction id, block number and hash, the transaction's position in the
// block and its validation code; Proof adds the channel, chaincode,
// creator and endorsing organizations. Fabric commits are final, so a
// committed write is reported as confirmed.
//
// The adapter implements adapters.Adapter, adapters.Watcher (chaincode
// events resumed from a block number and transaction id checkpoint) and
// adapters.Verifier (the transaction read back from the ledger with qscc).
package fabric

import (
	"errors"
	"sync"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"google.golang.org/grpc"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/schema"
)

// Ledger is the adapter kind reported in receipts.
const Ledger = "fabric"

// EventName is the name of the chaincode event of a record write.
const EventName = "RecordWritten"

var (
	_ adapters.Adapter  = (*Adapter)(nil)
	_ adapters.Watcher  = (*Adapter)(nil)
	_ adapters.Verifier = (*Adapter)(nil)
)

// Adapter writes records to the records chaincode on one channel. It is
// safe for concurrent use.
type Adapter struct {
	cfg      config
	mspID    string
	network  *client.Network
	contract *client.Contract
	qscc     *client.Contract
	gw       *client.Gateway
	blocks   *blockCache

	closeOnce sync.Once
	done      chan struct{}
	closeFn   func() error
}

// New returns an adapter that reaches the Gateway service over conn and
// signs as id with sign. The caller owns conn (Dial returns an adapter that
// owns its connection). No call is made until the first operation.
func New(conn grpc.ClientConnInterface, id identity.Identity, sign identity.Sign, opts ...Option) (*Adapter, error) {
	if conn == nil || id == nil || sign == nil {
		return nil, errors.New("fabric: New needs a connection, an identity and a signer")
	}
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.channel == "" || cfg.chaincode == "" {
		return nil, errors.New("fabric: empty channel or chaincode name")
	}
	if cfg.schema == nil {
		cfg.schema = schema.Default()
	}
	if cfg.name == "" {
		cfg.name = cfg.channel + "/" + cfg.chaincode
	}
	if cfg.queryOrgs == nil {
		cfg.queryOrgs = []string{id.MspID()}
	}
	gw, err := connect(conn, id, sign,
		client.WithEvaluateTimeout(cfg.evaluateTimeout),
		client.WithEndorseTimeout(cfg.endorseTimeout),
		client.WithSubmitTimeout(cfg.submitTimeout),
		client.WithCommitStatusTimeout(cfg.commitTimeout),
	)
	if err != nil {
		return nil, err
	}
	network := gw.GetNetwork(cfg.channel)
	return &Adapter{
		cfg:      cfg,
		mspID:    id.MspID(),
		network:  network,
		contract: network.GetContract(cfg.chaincode),
		qscc:     network.GetContract("qscc"),
		gw:       gw,
		blocks:   newBlockCache(cfg.blockCache),
		done:     make(chan struct{}),
	}, nil
}

// Channel returns the channel the adapter writes to.
func (a *Adapter) Channel() string { return a.cfg.channel }

// Chaincode returns the name of the records chaincode.
func (a *Adapter) Chaincode() string { return a.cfg.chaincode }

// MSPID returns the MSP id of the adapter's client identity.
func (a *Adapter) MSPID() string { return a.mspID }

// Contract returns the fabric-gateway contract of the records chaincode,
// for the functions the adapter does not wrap (History, Query).
func (a *Adapter) Contract() *client.Contract { return a.contract }

// Close releases the adapter and ends its watches. It closes the gRPC
// connection only if Dial opened it. It is idempotent.
func (a *Adapter) Close() error {
	var err error
	a.closeOnce.Do(func() {
		close(a.done)
		err = a.gw.Close()
		if a.closeFn != nil {
			if cerr := a.closeFn(); cerr != nil && err == nil {
				err = cerr
			}
		}
	})
	return err
}

func (a *Adapter) closed() bool {
	select {
	case <-a.done:
		return true
	default:
		return false
	}
}

// version is a record version as the chaincode returns it.
type version struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Issuer     string `json:"issuer"`
	Digest     string `json:"digest"`
	Supersedes string `json:"supersedes,omitempty"`
	Disclosure string `json:"disclosure"`
	Content    string `json:"content,omitempty"`
	TxID       string `json:"txId"`
	Time       string `json:"time"`
	Creator    string `json:"creator"`
}

// chaincodeEvent is the payload of a RecordWritten event.
type chaincodeEvent struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Issuer     string `json:"issuer"`
	Digest     string `json:"digest"`
	Supersedes string `json:"supersedes,omitempty"`
	Disclosure string `json:"disclosure"`
}
