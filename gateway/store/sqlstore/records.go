package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/schema"
)

const versionCols = `v.seq, v.record_id, v.digest, v.type, v.schema_version, v.issuer, v.partner, v.supersedes, v.canonical, v.issued_at, v.accepted_at`

// scanVersion scans versionCols, after the columns before (if any).
func scanVersion(row interface{ Scan(...any) error }, before ...any) (store.Version, error) {
	var v store.Version
	var digest, supersedes string
	var issued, accepted int64
	err := row.Scan(append(before, &v.Seq, &v.RecordID, &digest, &v.Type, &v.SchemaVersion, &v.Issuer, &v.Partner, &supersedes, &v.Canonical, &issued, &accepted)...)
	v.Digest, v.Supersedes = schema.Digest(digest), schema.Digest(supersedes)
	v.IssuedAt, v.AcceptedAt = time.Unix(0, issued).UTC(), time.Unix(0, accepted).UTC()
	return v, err
}

// dedupe returns the distinct non-empty strings of xs, sorted.
func dedupe(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > 0 && out[0] == "" {
		out = out[1:]
	}
	return out
}

// Version implements store.Records.
func (s *Store) Version(ctx context.Context, id string, digest schema.Digest) (store.Version, error) {
	v, err := scanVersion(s.db.QueryRowContext(ctx, s.q(`SELECT `+versionCols+` FROM records r JOIN versions v ON v.rid = r.rid WHERE r.record_id = ? AND v.digest = ?`), id, string(digest)))
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("record %s version %s: %w", id, digest, store.ErrNotFound)
	}
	return v, err
}

// Record implements store.Records.
func (s *Store) Record(ctx context.Context, id string) (store.RecordDetail, error) {
	var d store.RecordDetail
	var headSeq int64
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT r.head_seq, `+versionCols+` FROM records r JOIN versions v ON v.rid = r.rid WHERE r.record_id = ? ORDER BY v.seq`), id)
	if err != nil {
		return d, err
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scanVersion(rows, &headSeq)
		if err != nil {
			return d, err
		}
		d.History = append(d.History, v)
	}
	if err := rows.Err(); err != nil {
		return d, err
	}
	if len(d.History) == 0 {
		return d, fmt.Errorf("record %s: %w", id, store.ErrNotFound)
	}
	for _, v := range d.History {
		if v.Seq == headSeq {
			d.Current = v
		}
	}
	d.Deliveries, err = s.deliveries(ctx, `vseq IN (SELECT v.seq FROM records r JOIN versions v ON v.rid = r.rid WHERE r.record_id = ?)`, id)
	return d, err
}

// List implements store.Records.
func (s *Store) List(ctx context.Context, q store.Query) (store.Page, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	if limit > 1000 {
		limit = 1000
	}
	var where []string
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	add(`v.seq > ?`, q.After)
	if q.Type != "" {
		add(`v.type = ?`, q.Type)
	}
	if q.Issuer != "" {
		add(`v.issuer = ?`, q.Issuer)
	}
	if q.Partner != "" {
		add(`v.partner = ?`, q.Partner)
	}
	if !q.From.IsZero() {
		add(`v.issued_at >= ?`, q.From.UnixNano())
	}
	if !q.To.IsZero() {
		add(`v.issued_at < ?`, q.To.UnixNano())
	}
	if q.HSCode != "" {
		if strings.Trim(q.HSCode, "0123456789") != "" {
			return store.Page{}, fmt.Errorf("hs code filter %q: digits only: %w", q.HSCode, store.ErrInvalidQuery)
		}
		add(`EXISTS (SELECT 1 FROM record_codes c WHERE c.seq = v.seq AND c.kind = 'hs' AND c.code LIKE ?)`, q.HSCode+"%")
	}
	if q.Country != "" {
		add(`EXISTS (SELECT 1 FROM record_codes c WHERE c.seq = v.seq AND c.kind = 'country' AND c.code = ?)`, q.Country)
	}
	if q.State != "" {
		add(`EXISTS (SELECT 1 FROM deliveries d WHERE d.vseq = v.seq AND d.state = ?)`, q.State)
	}
	// A version is listed when it is its record's head; the record is
	// reached by its key, so no index on head_seq is needed (store
	// version 6).
	query := `SELECT ` + versionCols + ` FROM versions v JOIN records h ON h.rid = v.rid AND h.head_seq = v.seq WHERE ` + strings.Join(where, " AND ") + ` ORDER BY v.seq LIMIT ?`
	args = append(args, limit+1)
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return store.Page{}, err
	}
	defer rows.Close()
	var p store.Page
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return p, err
		}
		p.Items = append(p.Items, v)
	}
	if len(p.Items) > limit {
		p.Items = p.Items[:limit]
		p.Next = p.Items[limit-1].Seq
	}
	return p, rows.Err()
}
