package cputime_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/internal/cputime"
)

// TestClocksAdvance spins until the process has used 20 ms of CPU and
// checks both clocks against it (where the platform has them): the
// process clock gets there, and the spinning thread's clock advances, but
// by no more than the process's.
func TestClocksAdvance(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const work = 20 * time.Millisecond
	p0, _ := cputime.Process()
	t0 := cputime.Thread()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if p, _ := cputime.Process(); p-p0 >= work {
			break
		}
	}
	p1, _ := cputime.Process()
	t1 := cputime.Thread()
	if runtime.GOOS != "windows" && runtime.GOOS != "plan9" && p1-p0 < work {
		t.Fatalf("process clock advanced %v in 10 s of spinning", p1-p0)
	}
	if runtime.GOOS == "linux" && (t1 <= t0 || t1-t0 > p1-p0+time.Millisecond) {
		t.Errorf("thread clock advanced %v while the process clock advanced %v", t1-t0, p1-p0)
	}
}
