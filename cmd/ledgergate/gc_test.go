package main

import (
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	prev := debug.SetGCPercent(100)
	defer debug.SetGCPercent(prev)
	defer func(old func(string) string) { getenv = old }(getenv)

	getenv = func(string) string { return "" }
	tuneGC()
	if got := debug.SetGCPercent(100); got != gatewayGCPercent {
		t.Errorf("GOGC unset: GC percent %d, want %d", got, gatewayGCPercent)
	}
	getenv = func(k string) string {
		if k == "GOGC" {
			return "100"
		}
		return ""
	}
	tuneGC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC=100 set: GC percent %d, want it left at 100", got)
	}
}
