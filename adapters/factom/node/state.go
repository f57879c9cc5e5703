package node

import (
	"time"

	"github.com/ledgergate/ledgergate/adapters/factom/protocol"
)

// state is the ledger in memory, rebuilt from the log on start. All access
// is under Node.mu.
type state struct {
	network uint32
	rate    uint64

	dblocks []*dblockRec // by height
	byKeyMR map[protocol.Hash]*dblockRec
	eblocks map[protocol.Hash]*eblockRec // by KeyMR
	chains  map[protocol.Hash]*eblockRec // chain id -> head entry block
	// chainHashes holds SHA256d(chain id) of every sealed chain (chain
	// commits name a chain by this hash).
	chainHashes map[protocol.Hash]bool
	entries     map[protocol.Hash]*entryRec // entry hash -> entry (sealed or pending)
	balances    map[protocol.ECPublic]int64

	commits     map[protocol.Hash]*commitRec // entry hash -> unrevealed or pending commit
	commitsByTx map[protocol.Hash]*commitRec // commit tx id -> commit (kept once sealed)
	paidBy      map[protocol.Hash]*commitRec // entry hash -> the commit that paid for it

	// The block being built.
	pendingCommits []*commitRec
	pendingReveals []*entryRec
	pendingChains  map[protocol.Hash]bool
	blockStart     time.Time
}

func newState() *state {
	return &state{
		network:       protocol.NetworkLocal,
		rate:          1000,
		byKeyMR:       map[protocol.Hash]*dblockRec{},
		eblocks:       map[protocol.Hash]*eblockRec{},
		chains:        map[protocol.Hash]*eblockRec{},
		chainHashes:   map[protocol.Hash]bool{},
		entries:       map[protocol.Hash]*entryRec{},
		balances:      map[protocol.ECPublic]int64{},
		commits:       map[protocol.Hash]*commitRec{},
		commitsByTx:   map[protocol.Hash]*commitRec{},
		paidBy:        map[protocol.Hash]*commitRec{},
		pendingChains: map[protocol.Hash]bool{},
	}
}

// dblockRec is a sealed directory block and the blocks it names.
type dblockRec struct {
	db       *protocol.DBlock
	keyMR    protocol.Hash
	fullHash protocol.Hash
	ab       *protocol.ABlock
	ec       *protocol.ECBlock
	fb       *protocol.FBlock
	eblocks  []*eblockRec // in directory block order
}

// eblockRec is a sealed entry block.
type eblockRec struct {
	eb       *protocol.EBlock
	keyMR    protocol.Hash
	fullHash protocol.Hash
	db       *dblockRec
}

// entryRec is a revealed entry.
type entryRec struct {
	hash   protocol.Hash
	raw    []byte
	entry  *protocol.Entry
	minute byte
	commit *commitRec
	eb     *eblockRec // nil until sealed
}

// commitRec is an accepted commit (chain or entry).
type commitRec struct {
	txID      protocol.Hash
	entryHash protocol.Hash
	chain     *protocol.CommitChain
	entry     *protocol.CommitEntry
	credits   uint8
	pub       protocol.ECPublic
	milli     uint64
	minute    byte
	revealed  *entryRec
	ec        *dblockRec // the directory block whose entry-credit block holds it
}

func (c *commitRec) message() []byte {
	if c.chain != nil {
		return c.chain.MarshalBinary()
	}
	return c.entry.MarshalBinary()
}

// height returns the height of the last sealed block (-1 before genesis).
func (s *state) height() int64 { return int64(len(s.dblocks)) - 1 }

func (s *state) head() *dblockRec {
	if len(s.dblocks) == 0 {
		return nil
	}
	return s.dblocks[len(s.dblocks)-1]
}

// chainExists reports a sealed or pending chain.
func (s *state) chainExists(id protocol.Hash) bool {
	return s.chains[id] != nil || s.pendingChains[id]
}
