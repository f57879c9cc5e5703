//go:build !linux

package sqlstore

import "time"

// threadCPU is not measured on this platform: WriterUsage.CPU stays zero.
func threadCPU() time.Duration { return 0 }
