package fabric

import (
	"time"

	"github.com/ledgergate/ledgergate/schema"
)

// Defaults of the options.
const (
	DefaultChannel         = "customs"
	DefaultChaincode       = "records"
	DefaultMaxContent      = 512 << 10 // bytes of disclosed payload per record
	DefaultEvaluateTimeout = 15 * time.Second
	DefaultEndorseTimeout  = 30 * time.Second
	DefaultSubmitTimeout   = 15 * time.Second
	DefaultCommitTimeout   = 2 * time.Minute
	DefaultConflictRetries = 8   // re-endorsements after an MVCC or phantom read conflict
	DefaultSubmitAttempts  = 3   // sends of one signed transaction to the orderer
	DefaultBlockCache      = 256 // decoded blocks kept for receipts
)

// Option configures an Adapter.
type Option func(*config)

type config struct {
	channel         string
	chaincode       string
	name            string
	schema          *schema.Registry
	maxContent      int
	evaluateTimeout time.Duration
	endorseTimeout  time.Duration
	submitTimeout   time.Duration
	commitTimeout   time.Duration
	conflictRetries int
	submitAttempts  int
	blockCache      int
	startBlock      uint64
	queryOrgs       []string
}

func defaults() config {
	return config{
		channel:         DefaultChannel,
		chaincode:       DefaultChaincode,
		maxContent:      DefaultMaxContent,
		evaluateTimeout: DefaultEvaluateTimeout,
		endorseTimeout:  DefaultEndorseTimeout,
		submitTimeout:   DefaultSubmitTimeout,
		commitTimeout:   DefaultCommitTimeout,
		conflictRetries: DefaultConflictRetries,
		submitAttempts:  DefaultSubmitAttempts,
		blockCache:      DefaultBlockCache,
	}
}

// WithChannel sets the channel the chaincode is deployed on (default
// DefaultChannel).
func WithChannel(name string) Option { return func(c *config) { c.channel = name } }

// WithChaincode sets the name of the records chaincode (default
// DefaultChaincode).
func WithChaincode(name string) Option { return func(c *config) { c.chaincode = name } }

// WithLedgerName names the network in receipts (Receipt.Network). The
// default is "<channel>/<chaincode>".
func WithLedgerName(name string) Option { return func(c *config) { c.name = name } }

// WithSchema sets the schema registry records are validated against
// (default schema.Default()). The chaincode validates full records with
// the default registry; a deployment with extra types must deploy a
// chaincode built with them.
func WithSchema(reg *schema.Registry) Option { return func(c *config) { c.schema = reg } }

// WithMaxContent sets the largest disclosed payload, in bytes, the adapter
// puts on the ledger. Larger payloads are refused with ReasonTooLarge
// before any proposal is sent.
func WithMaxContent(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxContent = n
		}
	}
}

// WithTimeouts sets the per-call limits of the Gateway calls: evaluate (a
// query), endorse, submit (one send to the orderer) and commit (the wait for
// the commit status). Zero keeps a default.
func WithTimeouts(evaluate, endorse, submit, commit time.Duration) Option {
	return func(c *config) {
		for _, p := range []struct {
			d   time.Duration
			dst *time.Duration
		}{{evaluate, &c.evaluateTimeout}, {endorse, &c.endorseTimeout}, {submit, &c.submitTimeout}, {commit, &c.commitTimeout}} {
			if p.d > 0 {
				*p.dst = p.d
			}
		}
	}
}

// WithConflictRetries sets how many times Write endorses and submits again
// after its transaction was invalidated by an MVCC read conflict or a
// phantom read (another transaction changed the record first), or after
// the endorsing peers answered differently (one had not committed the
// latest block yet).
func WithConflictRetries(n int) Option { return func(c *config) { c.conflictRetries = max(n, 0) } }

// WithSubmitAttempts sets how many times Write sends the same signed
// transaction to the orderer when a send fails in a way that leaves its
// fate open. Sending it again is safe: Fabric commits a transaction id at
// most once.
func WithSubmitAttempts(n int) Option { return func(c *config) { c.submitAttempts = max(n, 1) } }

// WithBlockCache sets how many decoded blocks the adapter keeps to build
// receipts (transaction position, validation code, block hash).
func WithBlockCache(n int) Option { return func(c *config) { c.blockCache = max(n, 1) } }

// WithStartBlock sets where a watch from the empty checkpoint begins
// (default 0, the channel's genesis block).
func WithStartBlock(n uint64) Option { return func(c *config) { c.startBlock = n } }

// WithQueryOrganizations sets the organizations whose peers answer the
// adapter's ledger queries (qscc blocks and transactions). The default is
// the client's own organization, whose gateway peer reported the commit.
func WithQueryOrganizations(mspIDs ...string) Option {
	return func(c *config) { c.queryOrgs = append([]string(nil), mspIDs...) }
}
