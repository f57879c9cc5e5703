package factom_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/factom/node"
)

// Two adapters submit conflicting first versions of one id within one
// block time: both entries are acknowledged and both land in the block,
// the ledger order makes one of them count, and Track reports the other
// as ErrNotFound; submitted again it is refused as a conflict.
func TestTrackVersionThatDidNotCount(t *testing.T) {
	ctx := testCtx(t, time.Minute)
	e := startNode(t, node.WithBlockTime(time.Second))
	a, b := e.open(t, "race"), e.open(t, "race")
	id := newID()
	ra, rb := record(t, id, "10", ""), record(t, id, "20", "")
	rcA, err := a.Submit(ctx, ra, full)
	if err != nil || rcA.Status != adapters.StatusSubmitted {
		t.Fatalf("Submit(a) = %+v, %v; want a submitted entry", rcA, err)
	}
	rcB, err := b.Submit(ctx, rb, full)
	if err != nil || rcB.Status != adapters.StatusSubmitted {
		t.Fatalf("Submit(b) = %+v, %v; want a submitted entry (the block holding a is not sealed yet)", rcB, err)
	}
	gotA, errA := adapters.Await(ctx, a, rcA, 20*time.Millisecond)
	gotB, errB := adapters.Await(ctx, b, rcB, 20*time.Millisecond)
	won, lost, loser, lostErr := gotA, rcB, b, errB
	if errA != nil {
		won, lost, loser, lostErr = gotB, rcA, a, errA
	}
	if won.Status != adapters.StatusConfirmed || !errors.Is(lostErr, adapters.ErrNotFound) || !strings.Contains(lostErr.Error(), "after another version") {
		t.Fatalf("Track = (%+v, %v) and (%+v, %v); want one confirmed and the other ErrNotFound, counted after another version", gotA, errA, gotB, errB)
	}
	rec := rb
	if lost.Digest == ra.Digest {
		rec = ra
	}
	var rej *adapters.RejectedError
	if _, err := loser.Submit(ctx, rec, full); !errors.As(err, &rej) || rej.Reason != adapters.ReasonConflict {
		t.Fatalf("Submit of the version that did not count = %v; want a conflict", err)
	}
}
