package adapters

import (
	"context"
	"errors"
	"time"
)

// Await follows a write that Submit returned, calling Track every poll
// until the write is no longer pending, and returns its receipt (committed
// or confirmed). Track errors wrapping ErrUnavailable are retried; any
// other error, ErrNotFound included (the write will not land), is
// returned, and so is ctx's error if it ends first.
func Await(ctx context.Context, s Submitter, rc Receipt, poll time.Duration) (Receipt, error) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for rc.Status == StatusSubmitted {
		select {
		case <-ctx.Done():
			return rc, ctx.Err()
		case <-t.C:
		}
		next, err := s.Track(ctx, rc)
		switch {
		case errors.Is(err, ErrUnavailable):
		case err != nil:
			return Receipt{}, err
		default:
			rc = next
		}
	}
	return rc, nil
}
