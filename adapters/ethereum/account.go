package ethereum

import (
	"math/big"
	"reflect"
	"sync"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ledgergate/ledgergate/adapters"
)

// account is the write state of one signing address on one node, shared by
// every adapter of this process that uses the same Backend and key, so
// that their nonces never collide.
//
// mu serialises nonce allocation with eth_sendRawTransaction: nonce n+1 is
// handed out only after the node accepted the transaction with nonce n, so
// a refused send never leaves a gap that would strand later transactions.
// Nonce errors (another process uses the key) resync from the node's
// pending nonce.
type account struct {
	key  any // accountKey, or a private pointer for non-comparable backends
	refs int // guarded by accounts.mu

	mu     sync.Mutex
	nonce  uint64
	synced bool

	flightMu sync.Mutex
	flights  map[common.Hash]*flight

	settle settleState // the wait before its first write (settle.go)
}

// flight is one record version being written; concurrent writes of the
// same version wait for it instead of sending a second transaction.
type flight struct {
	done chan struct{}
	tx   common.Hash // set once sent (guarded by account.flightMu)
	rc   adapters.Receipt
	err  error
}

type accountKey struct {
	backend any
	chain   string
	from    common.Address
}

var accounts = struct {
	sync.Mutex
	m map[any]*account
}{m: map[any]*account{}}

func acquireAccount(b Backend, chainID *big.Int, from common.Address) *account {
	var key any = new(int) // unique: not shared
	if t := reflect.TypeOf(b); t != nil && t.Comparable() {
		key = accountKey{backend: b, chain: chainID.String(), from: from}
	}
	accounts.Lock()
	defer accounts.Unlock()
	a := accounts.m[key]
	if a == nil {
		a = &account{key: key, flights: map[common.Hash]*flight{}}
		accounts.m[key] = a
	}
	a.refs++
	return a
}

func releaseAccount(a *account) {
	accounts.Lock()
	defer accounts.Unlock()
	if a.refs--; a.refs <= 0 {
		delete(accounts.m, a.key)
	}
}

// join returns the flight of the version key and whether the caller leads
// it (and must call land).
func (a *account) join(key common.Hash) (*flight, bool) {
	a.flightMu.Lock()
	defer a.flightMu.Unlock()
	if f := a.flights[key]; f != nil {
		return f, false
	}
	f := &flight{done: make(chan struct{})}
	a.flights[key] = f
	return f, true
}

func (a *account) land(key common.Hash, f *flight, rc adapters.Receipt, err error) {
	a.flightMu.Lock()
	delete(a.flights, key)
	a.flightMu.Unlock()
	f.rc, f.err = rc, err
	close(f.done)
}

func (a *account) setFlightTx(key common.Hash, tx common.Hash) {
	a.flightMu.Lock()
	defer a.flightMu.Unlock()
	if f := a.flights[key]; f != nil {
		f.tx = tx
	}
}

// pendingTx returns the transaction of a version still in flight.
func (a *account) pendingTx(key common.Hash) (common.Hash, bool) {
	a.flightMu.Lock()
	defer a.flightMu.Unlock()
	if f := a.flights[key]; f != nil && f.tx != (common.Hash{}) {
		return f.tx, true
	}
	return common.Hash{}, false
}
