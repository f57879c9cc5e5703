package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/schema"
)

// AddDiscrepancies implements store.Discrepancies.
func (s *Store) AddDiscrepancies(ctx context.Context, ds []store.Discrepancy) ([]store.Discrepancy, error) {
	if len(ds) == 0 {
		return nil, nil
	}
	out := make([]store.Discrepancy, len(ds))
	copy(out, ds)
	now := s.now().UTC()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, s.q(`INSERT INTO discrepancies (record_id, ledger, partner, verdict, expected, found, version, reason, fields, first_seen, resolved_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) RETURNING id`))
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i := range out {
			d := &out[i]
			if d.FirstSeen.IsZero() {
				d.FirstSeen = now
			}
			d.ResolvedAt = time.Time{}
			fields := ""
			if len(d.Fields) > 0 {
				b, err := json.Marshal(d.Fields)
				if err != nil {
					return err
				}
				fields = string(b)
			}
			if err := stmt.QueryRowContext(ctx, d.RecordID, d.Ledger, d.Partner, d.Verdict, string(d.Expected), string(d.Found),
				d.Version, d.Reason, fields, d.FirstSeen.UnixNano()).Scan(&d.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: add discrepancies: %w", err)
	}
	return out, nil
}

// ResolveDiscrepancies implements store.Discrepancies.
func (s *Store) ResolveDiscrepancies(ctx context.Context, ids []int64, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	if at.IsZero() {
		at = s.now()
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for len(ids) > 0 {
			n := min(len(ids), 500)
			args := []any{at.UnixNano()}
			for _, id := range ids[:n] {
				args = append(args, id)
			}
			q := `UPDATE discrepancies SET resolved_at = ? WHERE resolved_at = 0 AND id IN (?` + strings.Repeat(", ?", n-1) + `)`
			if _, err := tx.ExecContext(ctx, s.q(q), args...); err != nil {
				return fmt.Errorf("sqlstore: resolve discrepancies: %w", err)
			}
			ids = ids[n:]
		}
		return nil
	})
}

// ListDiscrepancies implements store.Discrepancies.
func (s *Store) ListDiscrepancies(ctx context.Context, q store.DiscrepancyQuery) (store.DiscrepancyPage, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	where := []string{`id > ?`}
	args := []any{q.After}
	for col, v := range map[string]string{"record_id": q.RecordID, "ledger": q.Ledger, "verdict": q.Verdict, "partner": q.Partner} {
		if v != "" {
			where = append(where, col+` = ?`)
			args = append(args, v)
		}
	}
	switch q.State {
	case "":
	case "open":
		where = append(where, `resolved_at = 0`)
	case "resolved":
		where = append(where, `resolved_at <> 0`)
	default:
		return store.DiscrepancyPage{}, fmt.Errorf("discrepancy state %q: want open or resolved: %w", q.State, store.ErrInvalidQuery)
	}
	args = append(args, limit+1)
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT id, record_id, ledger, partner, verdict, expected, found, version, reason, fields, first_seen, resolved_at
		FROM discrepancies WHERE `+strings.Join(where, " AND ")+` ORDER BY id LIMIT ?`), args...)
	if err != nil {
		return store.DiscrepancyPage{}, err
	}
	defer rows.Close()
	var p store.DiscrepancyPage
	for rows.Next() {
		var d store.Discrepancy
		var expected, found, fields string
		var first, resolved int64
		if err := rows.Scan(&d.ID, &d.RecordID, &d.Ledger, &d.Partner, &d.Verdict, &expected, &found, &d.Version, &d.Reason, &fields, &first, &resolved); err != nil {
			return p, err
		}
		d.Expected, d.Found = schema.Digest(expected), schema.Digest(found)
		if fields != "" {
			if err := json.Unmarshal([]byte(fields), &d.Fields); err != nil {
				return p, fmt.Errorf("sqlstore: discrepancy %d fields: %w", d.ID, err)
			}
		}
		d.FirstSeen = time.Unix(0, first).UTC()
		if resolved != 0 {
			d.ResolvedAt = time.Unix(0, resolved).UTC()
		}
		p.Items = append(p.Items, d)
	}
	if err := rows.Err(); err != nil {
		return p, err
	}
	if len(p.Items) > limit {
		p.Items = p.Items[:limit]
		p.Next = p.Items[limit-1].ID
	}
	return p, nil
}
