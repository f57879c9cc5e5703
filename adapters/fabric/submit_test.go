package fabric_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/adapters/fabric"
	"github.com/ledgergate/ledgergate/adapters/fabric/fabrictest"
)

// Two organizations submit competing new versions of one record at once.
// Either the second endorsement already sees the first version committed
// and refuses (a conflict, no transaction), or both transactions are
// ordered and the peers invalidate the second (an MVCC read conflict):
// Track then reports it as ErrNotFound naming the validation code. Either
// way exactly one version is current.
func TestTrackInvalidatedSubmission(t *testing.T) {
	n := fabrictest.Need(t)
	ctx := ctxT(t)
	customs, partner := open(t, n, "customs"), open(t, n, "partner")
	invalidated := 0
	for round := range 3 {
		v1 := record(t)
		if _, err := customs.Write(ctx, v1, full); err != nil {
			t.Fatal(err)
		}
		a, b := next(t, v1, "101"), next(t, v1, "202")
		var rcs [2]adapters.Receipt
		var errs [2]error
		var wg sync.WaitGroup
		wg.Go(func() { rcs[0], errs[0] = customs.Submit(ctx, a, full) })
		wg.Go(func() { rcs[1], errs[1] = partner.Submit(ctx, b, full) })
		wg.Wait()
		landed := 0
		for i, ad := range []*fabric.Adapter{customs, partner} {
			var rej *adapters.RejectedError
			switch {
			case errors.As(errs[i], &rej) && rej.Reason == adapters.ReasonConflict:
			case errs[i] != nil:
				t.Fatalf("round %d: Submit %d: %v", round, i, errs[i])
			default:
				rc, err := adapters.Await(ctx, ad, rcs[i], 20*time.Millisecond)
				switch {
				case err == nil && rc.Status == adapters.StatusConfirmed:
					landed++
				case errors.Is(err, adapters.ErrNotFound) && strings.Contains(err.Error(), "MVCC"):
					invalidated++
				default:
					t.Fatalf("round %d: Track %d = %+v, %v; want confirmed, or ErrNotFound for an MVCC conflict", round, i, rc, err)
				}
			}
		}
		if landed != 1 {
			t.Fatalf("round %d: %d of the competing versions landed, want 1", round, landed)
		}
	}
	t.Logf("%d of 3 rounds ordered both transactions and invalidated one", invalidated)
}
