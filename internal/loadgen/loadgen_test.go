package loadgen_test

import (
	"errors"
	"sync/atomic"
	"testing"

	"github.com/ledgergate/ledgergate/internal/loadgen"
)

func TestRunCallsEachIndexOnce(t *testing.T) {
	var seen [100]atomic.Int32
	s, err := loadgen.Run(100, 7, func(i int) error { seen[i].Add(1); return nil })
	if err != nil {
		t.Fatal(err)
	}
	for i := range seen {
		if seen[i].Load() != 1 {
			t.Fatalf("op %d ran %d times", i, seen[i].Load())
		}
	}
	if len(s.Latencies) != 100 || s.Percentile(0.5) > s.Percentile(0.99) || s.Rate() <= 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestRunReportsFailures(t *testing.T) {
	boom := errors.New("boom")
	s, err := loadgen.Run(10, 2, func(i int) error {
		if i%2 == 0 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || len(s.Latencies) != 5 {
		t.Fatalf("err %v, %d latencies", err, len(s.Latencies))
	}
}
