package ethereum

import (
	"crypto/ecdsa"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ledgergate/ledgergate/schema"
)

// Defaults of the options.
const (
	DefaultConfirmations = 1
	DefaultPollInterval  = time.Second
	DefaultMaxContent    = 16 << 10 // bytes of disclosed payload per record
	DefaultGasMargin     = 25       // percent added to the gas estimate
	DefaultReorgWindow   = 128      // blocks a watcher keeps for reorg detection
	DefaultLogRange      = 5000     // blocks per eth_getLogs query
	DefaultSendTimeout   = 30 * time.Second
)

// Option configures an Adapter.
type Option func(*config)

type config struct {
	key           *ecdsa.PrivateKey
	registry      common.Address
	hasRegistry   bool
	chainID       *big.Int
	confirmations uint64
	poll          time.Duration
	name          string
	maxContent    int
	gasMargin     uint64
	tipCap        *big.Int
	maxFeeCap     *big.Int
	reorgWindow   uint64
	logRange      uint64
	startBlock    uint64
	schema        *schema.Registry
	sendTimeout   time.Duration
}

func defaults() config {
	return config{
		confirmations: DefaultConfirmations,
		poll:          DefaultPollInterval,
		maxContent:    DefaultMaxContent,
		gasMargin:     DefaultGasMargin,
		reorgWindow:   DefaultReorgWindow,
		logRange:      DefaultLogRange,
		sendTimeout:   DefaultSendTimeout,
	}
}

// WithKey sets the private key that signs write transactions. An adapter
// without a key is read-only: Write refuses with ReasonForbidden.
func WithKey(key *ecdsa.PrivateKey) Option { return func(c *config) { c.key = key } }

// WithRegistry sets the address of the deployed RecordRegistry contract.
// New requires it; Deploy sets it to the contract it deploys.
func WithRegistry(addr common.Address) Option {
	return func(c *config) { c.registry, c.hasRegistry = addr, true }
}

// WithChainID pins the chain id. New fails if the node reports another
// chain, so a misconfigured endpoint cannot receive signed transactions.
// Without it the node's chain id is used.
func WithChainID(id *big.Int) Option {
	return func(c *config) { c.chainID = new(big.Int).Set(id) }
}

// WithConfirmations sets how many blocks (the block holding the write
// included) make a write confirmed. Write waits for them. Minimum 1.
func WithConfirmations(n uint64) Option {
	return func(c *config) { c.confirmations = max(n, 1) }
}

// WithPollInterval sets how often the adapter polls the node for receipts,
// confirmations and new logs.
func WithPollInterval(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.poll = d
		}
	}
}

// WithLedgerName names the network in receipts (Receipt.Network). The
// default is the CAIP-2 chain id, "eip155:<chain id>".
func WithLedgerName(name string) Option { return func(c *config) { c.name = name } }

// WithMaxContent sets the largest disclosed payload, in bytes, the
// adapter puts on chain (storage costs about 20,000 gas per 32 bytes).
// Larger payloads are refused with ReasonTooLarge before any transaction.
func WithMaxContent(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxContent = n
		}
	}
}

// WithGasMargin sets the percentage added to the node's gas estimate.
func WithGasMargin(percent uint64) Option { return func(c *config) { c.gasMargin = percent } }

// WithTipCap fixes the EIP-1559 priority fee per gas (wei). Without it the
// node's eth_maxPriorityFeePerGas suggestion is used.
func WithTipCap(wei *big.Int) Option {
	return func(c *config) { c.tipCap = new(big.Int).Set(wei) }
}

// WithMaxFeeCap caps the EIP-1559 max fee per gas (wei). The adapter
// offers 2 x base fee + tip, but never more than this cap.
func WithMaxFeeCap(wei *big.Int) Option {
	return func(c *config) { c.maxFeeCap = new(big.Int).Set(wei) }
}

// WithReorgWindow sets how many recent blocks a watcher re-checks for
// reorganisations. Logs deeper than this are treated as final.
func WithReorgWindow(blocks uint64) Option {
	return func(c *config) { c.reorgWindow = max(blocks, 1) }
}

// WithLogRange sets the largest block range of one eth_getLogs query
// (providers often limit it).
func WithLogRange(blocks uint64) Option {
	return func(c *config) { c.logRange = max(blocks, 1) }
}

// WithStartBlock sets where a watch from the empty checkpoint begins,
// typically the registry's deployment block. Deploy sets it.
func WithStartBlock(n uint64) Option { return func(c *config) { c.startBlock = n } }

// WithSchema sets the schema registry records are validated against
// (default schema.Default()).
func WithSchema(reg *schema.Registry) Option { return func(c *config) { c.schema = reg } }

// WithSendTimeout bounds one eth_sendRawTransaction call. The send is not
// cut short by the caller's context, so that a cancelled Write leaves no
// transaction of unknown fate behind.
func WithSendTimeout(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.sendTimeout = d
		}
	}
}
