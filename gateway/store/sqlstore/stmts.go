package sqlstore

import (
	"context"
	"database/sql"
)

// Statements on the hot write path, prepared once when the store opens.
// Preparing is a large part of a small statement's cost in SQLite.
// (They must be prepared before any transaction: with SQLite's single
// connection, preparing inside a transaction would wait for itself.)
var hotStatements = []string{
	qHead, qVersionByDigest, qInsertVersion, qUpsertHead, qInsertCode, qInsertDelivery, qInsertAudit,
}

const (
	qHead            = `SELECT ` + versionCols + ` FROM heads h JOIN versions v ON v.seq = h.seq WHERE h.record_id = ?`
	qVersionByDigest = `SELECT ` + versionCols + ` FROM versions v WHERE v.record_id = ? AND v.digest = ?`
	qInsertVersion   = `INSERT INTO versions (record_id, digest, type, schema_version, issuer, partner, supersedes, canonical, issued_at, accepted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`
	qUpsertHead      = `INSERT INTO heads (record_id, seq) VALUES (?, ?) ON CONFLICT (record_id) DO UPDATE SET seq = excluded.seq`
	qInsertCode      = `INSERT INTO record_codes (seq, kind, code) VALUES (?, ?, ?)`
	qInsertDelivery  = `INSERT INTO deliveries (record_id, digest, ledger, policy, state, next_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`
	qInsertAudit     = `INSERT INTO audit (time, actor, action, record_id, detail) VALUES (?, ?, ?, ?, ?)`
)

func (s *Store) prepare(ctx context.Context) error {
	for _, q := range hotStatements {
		st, err := s.db.PrepareContext(ctx, s.q(q))
		if err != nil {
			return err
		}
		s.stmts[q] = st
	}
	return nil
}

func (s *Store) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st, ok := s.stmts[query]; ok {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, s.q(query), args...)
}

func (s *Store) txQueryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	if st, ok := s.stmts[query]; ok {
		return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, s.q(query), args...)
}
