// Package loadgen runs a fixed number of operations from a pool of
// workers and reports throughput and latency percentiles; the adapters'
// benchmarks share it.
package loadgen

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Stats is the outcome of Run.
type Stats struct {
	Wall time.Duration
	// Latencies of the successful operations, sorted.
	Latencies []time.Duration
}

// Rate is successful operations per second of wall time.
func (s Stats) Rate() float64 { return float64(len(s.Latencies)) / s.Wall.Seconds() }

// Percentile returns the nearest-rank p-quantile (0 <= p <= 1) of the
// latencies, or 0 when there are none.
func (s Stats) Percentile(p float64) time.Duration {
	if len(s.Latencies) == 0 {
		return 0
	}
	return s.Latencies[int(p*float64(len(s.Latencies)-1)+0.5)]
}

// Run calls op(0), ..., op(total-1) from workers goroutines. Failed
// operations are left out of the latencies; the error reports how many
// failed and the first few errors.
func Run(total, workers int, op func(i int) error) (Stats, error) {
	lat := make([]time.Duration, 0, total)
	var mu sync.Mutex
	var errs []error
	var failed atomic.Int64
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= total {
					return
				}
				t0 := time.Now()
				err := op(i)
				d := time.Since(t0)
				mu.Lock()
				if err != nil {
					if failed.Add(1) <= 3 {
						errs = append(errs, fmt.Errorf("operation %d: %w", i, err))
					}
				} else {
					lat = append(lat, d)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	s := Stats{Wall: time.Since(start), Latencies: lat}
	slices.Sort(s.Latencies)
	if n := failed.Load(); n > 0 {
		return s, fmt.Errorf("%d of %d operations failed: %w", n, total, errors.Join(errs...))
	}
	return s, nil
}
