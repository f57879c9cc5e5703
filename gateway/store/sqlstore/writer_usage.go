package sqlstore

import (
	"sync/atomic"
	"time"
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
	// Busy is the wall time it spent running batches: from taking a
	// batch to answering it, waits for the disk included.
	Busy time.Duration
	// CPU is the CPU time (user and system) of the writer's thread
	// while running batches, counted only while MeasureWriterCPU is on,
	// and only where the platform can tell a thread's CPU time
	// (threadCPU).
	CPU time.Duration
}

// writerStats accumulates WriterUsage.
type writerStats struct {
	batches, records, busy, cpu atomic.Int64
	clock                       atomic.Bool // MeasureWriterCPU
}

func (w *writerStats) add(records int, busy, cpu time.Duration) {
	w.batches.Add(1)
	w.records.Add(int64(records))
	w.busy.Add(int64(busy))
	w.cpu.Add(int64(cpu))
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
		Requests: s.writer.records.Load(),
		Busy:     time.Duration(s.writer.busy.Load()),
		CPU:      time.Duration(s.writer.cpu.Load()),
	}
}
