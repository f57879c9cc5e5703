package sqlstore

import (
	"runtime"
	"sync/atomic"
	"time"

	"github.com/ledgergate/ledgergate/internal/cputime"
)

// WriterUsage is what the store's single writer goroutine (the group
// commit of batch.go, which runs every accept and grouped write) has
// spent since the store opened. On SQLite that writer is the one thing
// that cannot use a second core, so Busy close to the elapsed time means
// the writer limits ingest, and CPU per record is the cost to cut.
type WriterUsage struct {
	// Batches is the number of batches (transactions) the writer ran.
	Batches int64
	// Requests is the number of requests it handled: accepts and grouped
	// writes.
	Requests int64
	// Alone is how many of the batches went as one autocommitted
	// statement (Dialect.LockedIDs; Store.acceptAlone).
	Alone int64
	// Busy is the wall time it spent running batches: from starting a
	// batch's transaction to its commit, waits for the disk included.
	//
	// A batch is counted before its requests are answered, so a caller
	// whose request has returned finds it counted.
	Busy time.Duration
	// CPU is the CPU time (user and system) of the writer's thread
	// while running batches, counted only while MeasureWriterCPU is on,
	// and only where the platform can tell a thread's CPU time
	// (cputime.Thread).
	CPU time.Duration
}

// writerStats accumulates WriterUsage.
type writerStats struct {
	batches, requests, alone, busy, cpu atomic.Int64
	clock                               atomic.Bool // MeasureWriterCPU
}

// meter times the writer goroutine's batches into w; only that goroutine
// uses it.
type meter struct {
	w      *writerStats
	locked bool // the goroutine to its OS thread (MeasureWriterCPU)
}

// mark is when a batch started, by the clock and, when measuring, the
// thread's CPU clock.
type mark struct {
	at  time.Time
	cpu time.Duration
}

// start starts timing a batch, first locking the goroutine to its thread
// or unlocking it as MeasureWriterCPU last asked.
func (m *meter) start() mark {
	if on := m.w.clock.Load(); on != m.locked {
		if on {
			runtime.LockOSThread()
		} else {
			runtime.UnlockOSThread()
		}
		m.locked = on
	}
	mk := mark{at: time.Now()}
	if m.locked {
		mk.cpu = cputime.Thread()
	}
	return mk
}

// stop adds the batch of n requests started at mk.
func (m *meter) stop(mk mark, n int) {
	var cpu time.Duration
	if m.locked {
		cpu = cputime.Thread() - mk.cpu
	}
	m.w.batches.Add(1)
	m.w.requests.Add(int64(n))
	m.w.busy.Add(int64(time.Since(mk.at)))
	m.w.cpu.Add(int64(cpu))
}

// close unlocks the goroutine from its thread when it is locked.
func (m *meter) close() {
	if m.locked {
		runtime.UnlockOSThread()
	}
}

// MeasureWriterCPU turns the writer's CPU accounting (WriterUsage.CPU)
// on or off, from its next batch on. Measuring locks the writer goroutine
// to one OS thread, whose CPU clock is then the writer's. That costs a
// thread switch whenever the writer waits for work: with PostgreSQL and
// small batches (single-record accepts from 32 callers) it cost 15% of
// the accept rate, so it is off unless a benchmark asks for it.
func (s *Store) MeasureWriterCPU(on bool) { s.writer.clock.Store(on) }

// WriterUsage returns what the writer has spent so far; the difference
// of two readings covers the time between them.
func (s *Store) WriterUsage() WriterUsage {
	return WriterUsage{
		Batches:  s.writer.batches.Load(),
		Requests: s.writer.requests.Load(),
		Alone:    s.writer.alone.Load(),
		Busy:     time.Duration(s.writer.busy.Load()),
		CPU:      time.Duration(s.writer.cpu.Load()),
	}
}
