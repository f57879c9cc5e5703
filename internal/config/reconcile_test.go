package config_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ledgergate/ledgergate/internal/config"
)

// example loads the annotated example configuration with its defaults
// and checks that it validates.
func example(t *testing.T) *config.Config {
	t.Helper()
	c, err := config.Load(write(t, string(config.Example())+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	c.Defaults()
	if err := c.Validate(); err != nil {
		t.Fatalf("example: %v", err)
	}
	return c
}

func TestReconcileSettings(t *testing.T) {
	c := example(t)
	if c.Reconcile.Interval != 0 {
		t.Fatalf("example: %+v", c.Reconcile)
	}
	c.Reconcile = config.Reconcile{Interval: 10 * time.Minute, FullInterval: 24 * time.Hour, Workers: 8}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.Reconcile = config.Reconcile{Interval: time.Millisecond, FullInterval: -1, Workers: -1}
	err := c.Validate()
	for _, want := range []string{"reconcile.interval", "reconcile.fullInterval", "reconcile.workers"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want an error about %s, got %v", want, err)
		}
	}
}

func TestRelaySettings(t *testing.T) {
	c := example(t)
	if c.Relay.Workers != 64 {
		t.Fatalf("example: %+v", c.Relay)
	}
	c.Relay = config.Relay{Workers: 4097, MaxAttempts: -1, Lease: time.Millisecond}
	err := c.Validate()
	for _, want := range []string{"relay.workers 4097", "relay.maxAttempts -1", "relay.lease 1ms"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want an error about %s, got %v", want, err)
		}
	}
	if !errors.Is(err, config.ErrInvalid) {
		t.Errorf("want ErrInvalid, got %v", err)
	}
	c.Relay = config.Relay{Workers: 0, MaxAttempts: 0, Lease: 0} // the relay's defaults
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}
