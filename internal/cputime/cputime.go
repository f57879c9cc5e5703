// Package cputime reads CPU clocks for benchmarks and the store's writer
// accounting: the whole process's (user and system time, all threads) and
// the calling OS thread's. Where a platform cannot tell, the readings are
// zero, and callers leave those figures out.
package cputime
