package config

import (
	"fmt"
	"time"
)

// Reconcile schedules reconciliation in serve (docs/reconciliation.md).
type Reconcile struct {
	// Interval runs an incremental reconciliation this often (records
	// accepted since the last run, plus records with open
	// discrepancies); 0 turns periodic runs off.
	Interval time.Duration `yaml:"interval"`
	// FullInterval runs a full reconciliation (every record) this often;
	// 0: never periodically (run 'ledgergate reconcile' instead).
	FullInterval time.Duration `yaml:"fullInterval"`
	// Workers is how many records are checked concurrently (default 4 ×
	// CPUs).
	Workers int `yaml:"workers"`
}

func (r Reconcile) validate() []error {
	var errs []error
	if r.Interval < 0 || (r.Interval > 0 && r.Interval < time.Second) {
		errs = append(errs, fmt.Errorf("reconcile.interval %v: want 0 (off) or at least 1s", r.Interval))
	}
	if r.FullInterval < 0 || (r.FullInterval > 0 && r.FullInterval < time.Minute) {
		errs = append(errs, fmt.Errorf("reconcile.fullInterval %v: want 0 (off) or at least 1m", r.FullInterval))
	}
	if r.Workers < 0 || r.Workers > 1024 {
		errs = append(errs, fmt.Errorf("reconcile.workers %d: want 0 (default) to 1024", r.Workers))
	}
	return errs
}
