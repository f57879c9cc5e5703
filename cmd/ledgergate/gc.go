package main

import "runtime/debug"

// gatewayGCPercent is the garbage collector's target (GOGC) for the
// commands that run a gateway (serve, demo, bench) unless the GOGC
// environment variable sets one. A gateway's live heap is small (records
// live in the store, not in memory) while ingest allocates a decoded tree
// per record, so collecting at 5× the live heap instead of 2× costs tens
// of megabytes and saves about a tenth of the CPU per record
// (docs/performance.md). GOMEMLIMIT, when set, still caps the heap.
const gatewayGCPercent = 400

// tuneGC applies gatewayGCPercent unless GOGC is set.
func tuneGC() {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gatewayGCPercent)
	}
}
