package factom

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/ledgergate/ledgergate/adapters"
)

// Watch implements adapters.Watcher. A checkpoint is "HEIGHT:N": every
// record event of directory blocks below HEIGHT and the first N of block
// HEIGHT have been delivered. Factom has no reorganisations, so every
// event is EventWritten.
func (a *Adapter) Watch(ctx context.Context, from adapters.Checkpoint) iter.Seq2[adapters.Event, error] {
	return func(yield func(adapters.Event, error) bool) {
		height, seq, err := parseCheckpoint(from)
		if err != nil {
			yield(adapters.Event{}, err)
			return
		}
		for {
			if err := a.checkOpen(); err != nil {
				yield(adapters.Event{}, err)
				return
			}
			err := a.sync(ctx)
			switch {
			case ctx.Err() != nil:
				return
			case err != nil && !errors.Is(err, adapters.ErrUnavailable):
				yield(adapters.Event{}, err)
				return
			}
			// An unreachable ledger is retried at the next poll.
			for _, v := range a.idx.eventsAfter(height, seq) {
				height, seq = v.height, v.seq
				rc, err := a.eventReceipt(ctx, v)
				if err != nil {
					if ctx.Err() != nil {
						return
					}
					yield(adapters.Event{}, err)
					return
				}
				ev := adapters.Event{Kind: adapters.EventWritten, RecordID: v.id, Type: v.recordType, Issuer: v.issuer,
					Digest: v.digest, Supersedes: v.supersedes, Receipt: rc, Checkpoint: checkpoint(v.height, v.seq)}
				if !yield(ev, nil) {
					return
				}
			}
			if err := a.sleep(ctx, a.poll); err != nil {
				if !errors.Is(err, adapters.ErrClosed) {
					return
				}
				yield(adapters.Event{}, err)
				return
			}
		}
	}
}

// eventReceipt is the receipt of an event, without the Merkle proof (fetch
// it with Receipt) so that a watch costs no request per event.
func (a *Adapter) eventReceipt(ctx context.Context, v *version) (adapters.Receipt, error) {
	top := a.idx.height()
	return adapters.Receipt{
		Ledger: LedgerKind, Network: a.network,
		RecordID: v.id, Digest: v.digest, Supersedes: v.supersedes, Disclosure: v.disclosure,
		TxID: v.entryHash.String(), Block: uint64(v.height), BlockHash: v.dbKeyMR.String(), Index: uint64(v.index),
		Status: adapters.StatusConfirmed, Confirmations: uint64(max(1, top-int64(v.height)+1)), Time: v.time,
	}, nil
}

func checkpoint(height uint32, seq int) adapters.Checkpoint {
	return adapters.Checkpoint(strconv.FormatUint(uint64(height), 10) + ":" + strconv.Itoa(seq))
}

// parseCheckpoint reads "HEIGHT:N"; the empty checkpoint is before
// everything.
func parseCheckpoint(cp adapters.Checkpoint) (uint32, int, error) {
	if cp == "" {
		return 0, -1, nil
	}
	h, n, ok := strings.Cut(string(cp), ":")
	height, err1 := strconv.ParseUint(h, 10, 32)
	seq, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || seq < 0 {
		return 0, 0, fmt.Errorf("factom: bad checkpoint %q (want HEIGHT:N)", cp)
	}
	return uint32(height), seq, nil
}
