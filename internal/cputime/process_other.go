//go:build !unix

package cputime

import "time"

// Process is not measured on this platform: it returns zeros.
func Process() (time.Duration, int64) { return 0, 0 }
