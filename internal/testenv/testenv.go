// Package testenv decides what a test does when a service it needs
// (PostgreSQL, NATS, Chromium, a ledger node) is missing: skip with a clear
// message on a developer's machine, fail in CI (CI=true), where the
// project's scripts must have provided it.
package testenv

import (
	"os"
	"strconv"
	"testing"
)

// InCI reports whether the tests run in CI.
func InCI() bool { return os.Getenv("CI") == "true" }

// Need skips t (or fails it in CI) when err says a required service is
// unavailable.
func Need(t testing.TB, service string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if InCI() {
		t.Fatalf("%s is required in CI but unavailable: %v", service, err)
	}
	t.Skipf("skipping: %s is unavailable (%v); CI=true makes this a failure", service, err)
}

// EnvInt returns the positive integer in the environment variable name (a
// benchmark's knob), or def when it is unset; any other value fails t.
func EnvInt(t testing.TB, name string, def int) int {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 {
		t.Fatalf("%s=%q: want a positive integer", name, s)
	}
	return v
}
