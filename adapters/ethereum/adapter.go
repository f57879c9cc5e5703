// Package ethereum is the ledgergate adapter for Ethereum-compatible
// chains. Records are written to a RecordRegistry contract (see
// contracts/RecordRegistry.sol and the generated bindings in registry/):
// per record id its type, the digest of every version, the issuer, the
// disclosure mode and, when the route's disclosure allows it, the
// disclosed payload. Every write emits a RecordWritten event, which
// watchers follow from a checkpoint.
//
// The adapter implements adapters.Adapter, adapters.Watcher,
// adapters.Verifier and adapters.Submitter. It talks to a node through a
// Backend: an *ethclient.Client (see Dial) or go-ethereum's simulated
// backend.
package ethereum

//go:generate bash contracts/gen.sh registry

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/ethereum/registry"
	"github.com/ledgergate/ledgergate/schema"
)

// Ledger is the adapter kind reported in receipts.
const Ledger = "ethereum"

// Backend is what the adapter needs from a node. *ethclient.Client and the
// Client of go-ethereum's ethclient/simulated backend implement it.
type Backend interface {
	bind.ContractBackend
	bind.DeployBackend
	ethereum.ChainIDReader
	ethereum.BlockNumberReader
	NonceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (uint64, error)
	TransactionByHash(ctx context.Context, hash common.Hash) (tx *types.Transaction, isPending bool, err error)
}

var (
	_ adapters.Adapter   = (*Adapter)(nil)
	_ adapters.Watcher   = (*Adapter)(nil)
	_ adapters.Verifier  = (*Adapter)(nil)
	_ adapters.Submitter = (*Adapter)(nil)
	_ Backend            = (*ethclient.Client)(nil)
)

// Adapter writes records to a RecordRegistry contract on one chain. It is
// safe for concurrent use.
type Adapter struct {
	b        Backend
	cfg      config
	chainID  *big.Int
	network  string
	contract *registry.RecordRegistry
	bound    *bind.BoundContract
	signer   types.Signer
	from     common.Address
	acct     *account // shared nonce and in-flight state of from; nil if read-only

	feeMu    sync.Mutex
	feeAt    time.Time
	feeCache fees

	closeOnce sync.Once
	done      chan struct{}
	closeFn   func()
}

// New returns an adapter for the RecordRegistry at WithRegistry's address
// on the chain b is connected to. It checks the chain id (WithChainID) and
// that the registry address holds code.
func New(ctx context.Context, b Backend, opts ...Option) (*Adapter, error) {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	if !cfg.hasRegistry {
		return nil, errors.New("ethereum: New needs WithRegistry (or use Deploy)")
	}
	a, err := newAdapter(ctx, b, cfg)
	if err != nil {
		return nil, err
	}
	code, err := b.CodeAt(ctx, cfg.registry, nil)
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("ethereum: read code at %s: %w", cfg.registry, unavailable(err))
	}
	if len(code) == 0 {
		a.Close()
		return nil, fmt.Errorf("ethereum: no contract at %s on chain %s", cfg.registry, a.chainID)
	}
	return a, nil
}

// Deploy deploys a new RecordRegistry signed with WithKey's key (which
// becomes its owner and first writer), waits for it to be mined, and
// returns an adapter for it. The watch start block is set to the
// deployment block.
func Deploy(ctx context.Context, b Backend, opts ...Option) (*Adapter, error) {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.key == nil {
		return nil, errors.New("ethereum: Deploy needs WithKey")
	}
	chainID, err := chainIDOf(ctx, b, cfg.chainID)
	if err != nil {
		return nil, err
	}
	auth := bind.NewKeyedTransactor(cfg.key, chainID)
	auth.Context = ctx
	addr, tx, err := bind.DeployContract(auth, common.FromHex(registry.RecordRegistryMetaData.Bin), b, nil)
	if err != nil {
		return nil, fmt.Errorf("ethereum: deploy registry: %w", err)
	}
	rc, err := bind.WaitMined(ctx, b, tx.Hash())
	if err != nil {
		return nil, fmt.Errorf("ethereum: wait for registry deployment %s: %w", tx.Hash(), err)
	}
	if rc.Status != types.ReceiptStatusSuccessful {
		return nil, fmt.Errorf("ethereum: registry deployment %s failed", tx.Hash())
	}
	cfg.registry, cfg.hasRegistry = addr, true
	cfg.startBlock = rc.BlockNumber.Uint64()
	cfg.chainID = chainID
	return newAdapter(ctx, b, cfg)
}

func newAdapter(ctx context.Context, b Backend, cfg config) (*Adapter, error) {
	chainID, err := chainIDOf(ctx, b, cfg.chainID)
	if err != nil {
		return nil, err
	}
	if cfg.schema == nil {
		cfg.schema = schema.Default()
	}
	c := registry.NewRecordRegistry()
	a := &Adapter{
		b:        b,
		cfg:      cfg,
		chainID:  chainID,
		network:  cfg.name,
		contract: c,
		bound:    c.Instance(b, cfg.registry),
		signer:   types.LatestSignerForChainID(chainID),
		done:     make(chan struct{}),
	}
	if a.network == "" {
		a.network = "eip155:" + chainID.String()
	}
	if cfg.key != nil {
		a.from = crypto.PubkeyToAddress(cfg.key.PublicKey)
		a.acct = acquireAccount(b, chainID, a.from)
	}
	return a, nil
}

func chainIDOf(ctx context.Context, b Backend, want *big.Int) (*big.Int, error) {
	got, err := b.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("ethereum: chain id: %w", unavailable(err))
	}
	if want != nil && want.Cmp(got) != 0 {
		return nil, fmt.Errorf("ethereum: node is on chain %s, configured for chain %s", got, want)
	}
	return got, nil
}

// Registry returns the address of the RecordRegistry contract.
func (a *Adapter) Registry() common.Address { return a.cfg.registry }

// ChainID returns the chain id of the adapter's chain.
func (a *Adapter) ChainID() *big.Int { return new(big.Int).Set(a.chainID) }

// From returns the address that signs writes (zero if read-only).
func (a *Adapter) From() common.Address { return a.from }

// StartBlock returns where a watch from the empty checkpoint begins.
func (a *Adapter) StartBlock() uint64 { return a.cfg.startBlock }

// Close releases the adapter. It does not close the Backend, which the
// caller owns (Dial's adapters close the client they dialled). It is
// idempotent.
func (a *Adapter) Close() error {
	a.closeOnce.Do(func() {
		close(a.done)
		if a.acct != nil {
			releaseAccount(a.acct)
		}
		if a.closeFn != nil {
			a.closeFn()
		}
	})
	return nil
}

func (a *Adapter) closed() bool {
	select {
	case <-a.done:
		return true
	default:
		return false
	}
}

// IDHash is the registry's key for a record id: keccak256 of its bytes.
func IDHash(id string) common.Hash { return crypto.Keccak256Hash([]byte(id)) }

// DigestWord converts a schema digest to the registry's bytes32 form.
func DigestWord(d schema.Digest) (common.Hash, bool) {
	b := d.Bytes()
	if b == nil {
		return common.Hash{}, false
	}
	return common.BytesToHash(b), true
}

// digestOf converts a registry bytes32 back to a schema digest ("" for
// zero).
func digestOf(h [32]byte) schema.Digest {
	if h == ([32]byte{}) {
		return ""
	}
	return schema.Digest("sha256:" + common.Bytes2Hex(h[:]))
}

// RecordWrittenTopic returns the topic of the registry's RecordWritten
// event (topic 0 of its logs).
func RecordWrittenTopic() common.Hash { return recordWrittenTopic() }

var recordWrittenTopic = sync.OnceValue(func() common.Hash {
	abi, err := registry.RecordRegistryMetaData.ParseABI()
	if err != nil {
		panic(err)
	}
	return abi.Events["RecordWritten"].ID
})

// Dial connects to a node (http://, https://, ws://, wss:// or an IPC
// path) and returns an adapter for the registry at WithRegistry's address.
// The adapter owns the connection and closes it on Close. The client
// reconnects by itself: HTTP on every request, WebSocket by redialling on
// the next call after the connection broke, so the adapter survives node
// restarts.
func Dial(ctx context.Context, rawurl string, opts ...Option) (*Adapter, error) {
	c, err := ethclient.DialContext(ctx, rawurl)
	if err != nil {
		return nil, fmt.Errorf("ethereum: dial %s: %w", rawurl, unavailable(err))
	}
	a, err := New(ctx, c, opts...)
	if err != nil {
		c.Close()
		return nil, err
	}
	a.closeFn = c.Close
	return a, nil
}
