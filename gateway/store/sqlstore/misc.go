package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/store"
)

// Checkpoint implements store.Checkpoints.
func (s *Store) Checkpoint(ctx context.Context, source string) (adapters.Checkpoint, error) {
	var cp string
	err := s.r.QueryRowContext(ctx, s.q(`SELECT checkpoint FROM checkpoints WHERE source = ?`), source).Scan(&cp)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return adapters.Checkpoint(cp), err
}

// SetCheckpoint implements store.Checkpoints.
func (s *Store) SetCheckpoint(ctx context.Context, source string, cp adapters.Checkpoint) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO checkpoints (source, checkpoint, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (source) DO UPDATE SET checkpoint = excluded.checkpoint, updated_at = excluded.updated_at`),
		source, string(cp), s.now().UnixNano())
	return err
}

// Ping checks that the database answers a query, on the connections that
// serve reads: for readiness probes.
func (s *Store) Ping(ctx context.Context) error {
	var v sql.NullInt64
	return s.r.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
}

func (s *Store) auditInsert() string {
	return `INSERT INTO audit (time, actor, action, record_id, rid, detail)
	VALUES (?, ?, ?, ?, COALESCE(` + s.ridOf() + `, 0), ?)`
}

// auditInsertOfVersion appends an audit entry of the record of the
// version with seq ? (a delivery's), found by the versions' key.
const auditInsertOfVersion = `INSERT INTO audit (time, actor, action, record_id, rid, detail)
	VALUES (?, ?, ?, ?, COALESCE((SELECT rid FROM versions WHERE seq = ?), 0), ?)`

// AppendAudit implements store.Audit.
func (s *Store) AppendAudit(ctx context.Context, e store.AuditEntry) error {
	return s.group(ctx, func(ctx context.Context, tx *sql.Tx) error { return s.appendAudit(ctx, tx, e, 0) })
}

// appendAudit appends e in tx; with vseq not 0, e is an entry of the
// record of that version, found by the versions' key instead of by id.
func (s *Store) appendAudit(ctx context.Context, tx *sql.Tx, e store.AuditEntry, vseq int64) error {
	if e.Time.IsZero() {
		e.Time = s.now()
	}
	var err error
	if vseq != 0 {
		_, err = s.stmt(ctx, tx, auditInsertOfVersion).ExecContext(ctx, e.Time.UnixNano(), e.Actor, e.Action, e.RecordID, vseq, e.Detail)
	} else {
		_, err = s.stmt(ctx, tx, s.auditInsert()).ExecContext(ctx, e.Time.UnixNano(), e.Actor, e.Action, e.RecordID, e.RecordID, e.Detail)
	}
	return err
}

// AuditLog implements store.Audit: the newest entries first.
func (s *Store) AuditLog(ctx context.Context, recordID string, limit int) ([]store.AuditEntry, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	query := `SELECT seq, time, actor, action, record_id, detail FROM audit ORDER BY seq DESC LIMIT ?`
	args := []any{limit}
	if recordID != "" {
		// Entries of a stored record carry its rid; one written before
		// the record was stored has rid 0 and the id only.
		query = `SELECT seq, time, actor, action, record_id, detail FROM audit
			WHERE (rid = ` + s.ridOf() + ` OR (rid = 0 AND record_id = ?)) ORDER BY seq DESC LIMIT ?`
		args = []any{recordID, recordID, limit}
	}
	rows, err := s.r.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.AuditEntry
	for rows.Next() {
		var e store.AuditEntry
		var t int64
		if err := rows.Scan(&e.Seq, &t, &e.Actor, &e.Action, &e.RecordID, &e.Detail); err != nil {
			return nil, err
		}
		e.Time = time.Unix(0, t).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}
