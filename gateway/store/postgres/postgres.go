// Package postgres opens the store in PostgreSQL through pgx.
package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/ledgergate/ledgergate/gateway/store/sqlstore"
)

// Dialect is PostgreSQL's sqlstore dialect: claims skip rows other
// workers hold, and concurrent-insert and serialization failures retry.
var Dialect = sqlstore.Dialect{
	Name:       "postgres",
	Numbered:   true,
	SkipLocked: "FOR UPDATE SKIP LOCKED",
	Unnest:     true,
	// The index codes go to record_codes after the accept, beside it
	// (a quarter of an accept's time when inserted in it).
	DeferredCodes: true,
	// List queries are planned for their filters' values each time
	// (a generic plan of the deferred codes' list read every version
	// after a few runs on a store without statistics yet).
	PlanEachArg: pgx.QueryExecModeExec,
	// The relay's claims and updates share commits with each other and
	// with accepts: alone, 64 concurrent updates took 406 ms behind a
	// backlog of 100,000 (BenchmarkClaim), each committing on its own;
	// grouped, a claim and its 64 updates take 20 ms.
	GroupWrites: true,
	// Instances sharing the database accept one batch at a time (the key
	// is an arbitrary constant naming ledgergate's accept lock).
	LockedIDs: "SELECT max_rid, max_seq FROM ledgergate_accept_lock(7364210911)",
	Retryable: func(err error) bool {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			switch pe.Code {
			case "23505", "40001", "40P01": // unique_violation, serialization_failure, deadlock_detected
				return true
			}
		}
		return false
	},
}

// Open connects to dsn (a postgres:// URL or key=value string) and migrates
// the schema. Its sessions run with jit=off unless the DSN sets jit: the
// store's queries are short, and PostgreSQL's planner, whose cost figures
// pass the JIT threshold on tables it has not analysed yet, spent 5-6 ms
// compiling a list query that ran in 0.3 ms.
func Open(ctx context.Context, dsn string, opts ...sqlstore.Option) (*sqlstore.Store, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if _, set := cfg.RuntimeParams["jit"]; !set {
		cfg.RuntimeParams["jit"] = "off"
	}
	db := stdlib.OpenDB(*cfg)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	s, err := sqlstore.New(ctx, db, Dialect, opts...)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return s, nil
}
