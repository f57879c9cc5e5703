package node

import (
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

// DevKeySeed is the seed of the public development entry-credit key
// (all zeros): anyone can sign with it, so it only makes sense on a private
// development ledger. WithDevKey funds it.
var DevKeySeed = make([]byte, 32)

// DevKey returns the public development entry-credit key.
func DevKey() protocol.ECKey {
	k, _ := protocol.NewECKey(DevKeySeed)
	return k
}

// Option configures a Node.
type Option func(*options)

type options struct {
	blockTime time.Duration
	network   uint32
	rate      uint64
	funds     map[protocol.ECPublic]uint64
	clock     func() time.Time
	noSync    bool
	version   string
}

func defaults() options {
	return options{network: protocol.NetworkLocal, rate: 1000, funds: map[protocol.ECPublic]uint64{}, clock: time.Now, version: "ledgergate-embedded-1"}
}

// WithBlockTime sets the directory block time. Zero (the default) seals a
// block as soon as an entry is revealed ("instant" blocks, for tests and
// development); a positive time seals a block every period, empty or not,
// as factomd does.
func WithBlockTime(d time.Duration) Option { return func(o *options) { o.blockTime = d } }

// WithNetworkID sets the directory block NetworkID (default
// protocol.NetworkLocal). It is fixed when the ledger is created.
func WithNetworkID(id uint32) Option { return func(o *options) { o.network = id } }

// WithECRate sets the entry-credit rate the node reports, in factoshis per
// credit (default 1000, as a factomd LOCAL network).
func WithECRate(factoshis uint64) Option { return func(o *options) { o.rate = factoshis } }

// WithFunds credits an entry-credit key when the ledger is created
// (development mode: there is no factoid ledger to buy credits with).
func WithFunds(pub protocol.ECPublic, credits uint64) Option {
	return func(o *options) { o.funds[pub] += credits }
}

// WithDevKey funds the public development key (DevKey) with a billion
// credits when the ledger is created.
func WithDevKey() Option { return WithFunds(DevKey().Public(), 1_000_000_000) }

// WithClock sets the node's clock (tests).
func WithClock(now func() time.Time) Option { return func(o *options) { o.clock = now } }

// WithoutSync skips fsync after log appends: faster, and a machine crash
// may lose the last writes (a process crash loses nothing). For benchmarks
// and throwaway ledgers.
func WithoutSync() Option { return func(o *options) { o.noSync = true } }
