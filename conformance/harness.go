// Package conformance holds ledgergate's conformance kits.
//
// TestAdapter checks that a ledger adapter honours the adapters contract,
// in the manner of nettest.TestConn and fstest.TestFS: an adapter's test is
// one call.
package conformance

import (
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
)

// Harness tells TestAdapter how to reach the adapter under test.
type Harness struct {
	// Open returns a ready adapter connected to the ledger under test.
	// TestAdapter calls it for each subtest (several adapters may be open
	// on the same ledger at once) and closes what it opens. Records that
	// earlier subtests wrote may be visible; the kit uses fresh ids.
	// Required.
	Open func(t *testing.T) adapters.Adapter

	// LedgerWrites, when set, returns how many write transactions the
	// ledger has accepted from the adapter's account(s) so far, read from
	// the ledger itself (an account nonce, a transaction count). It lets
	// the kit prove that refused and repeated writes never reach the
	// ledger.
	LedgerWrites func(t *testing.T) uint64

	// MaxContent is the adapter's limit on disclosed bytes per record; 0
	// means the schema registry's input limit.
	MaxContent int

	// Concurrency is the number of concurrent writers in the concurrency
	// subtest (default and minimum 50).
	Concurrency int

	// Timeout bounds each subtest (default 2 minutes).
	Timeout time.Duration

	// EventTimeout bounds how long a watch may take to deliver the events
	// of records already written (default 60 s): a stream that withholds
	// an event fails instead of hanging.
	EventTimeout time.Duration

	// SkipWatch skips the watch subtests for an adapter that does not
	// implement adapters.Watcher; without it such an adapter fails.
	SkipWatch bool
}
