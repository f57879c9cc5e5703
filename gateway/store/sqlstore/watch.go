package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ledgergate/ledgergate/gateway/store"
)

var (
	_ store.DeadLetters = (*Store)(nil)
	_ store.Leases      = (*Store)(nil)
)

const deadLetterCols = `id, kind, source, item_key, payload, provenance, error, state, attempts, created_at, updated_at`

// AddDeadLetter implements store.DeadLetters.
func (s *Store) AddDeadLetter(ctx context.Context, d store.DeadLetter) (store.DeadLetter, error) {
	now := s.now().UnixNano()
	payload := string(d.Payload)
	if payload == "" {
		payload = "null"
	}
	var id int64
	err := s.db.QueryRowContext(ctx, s.q(`INSERT INTO dead_letters (kind, source, item_key, payload, provenance, error, state, attempts, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
		ON CONFLICT (kind, source, item_key) DO UPDATE SET payload = excluded.payload, provenance = excluded.provenance,
		  error = excluded.error, state = excluded.state, attempts = dead_letters.attempts + 1, updated_at = excluded.updated_at
		RETURNING id`),
		d.Kind, d.Source, d.Key, payload, string(d.Provenance), d.Error, store.DeadLetterOpen, now, now).Scan(&id)
	if err != nil {
		return store.DeadLetter{}, fmt.Errorf("sqlstore: add dead letter: %w", err)
	}
	return s.DeadLetter(ctx, id)
}

func scanDeadLetter(sc interface{ Scan(...any) error }) (store.DeadLetter, error) {
	var d store.DeadLetter
	var payload, prov string
	var created, updated int64
	if err := sc.Scan(&d.ID, &d.Kind, &d.Source, &d.Key, &payload, &prov, &d.Error, &d.State, &d.Attempts, &created, &updated); err != nil {
		return d, err
	}
	d.Payload = []byte(payload)
	if prov != "" {
		d.Provenance = []byte(prov)
	}
	d.CreatedAt, d.UpdatedAt = time.Unix(0, created).UTC(), time.Unix(0, updated).UTC()
	return d, nil
}

// DeadLetter implements store.DeadLetters.
func (s *Store) DeadLetter(ctx context.Context, id int64) (store.DeadLetter, error) {
	d, err := scanDeadLetter(s.r.QueryRowContext(ctx, s.q(`SELECT `+deadLetterCols+` FROM dead_letters WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("dead letter %d: %w", id, store.ErrNotFound)
	}
	return d, err
}

// DeadLetters implements store.DeadLetters.
func (s *Store) DeadLetters(ctx context.Context, q store.DeadLetterQuery) ([]store.DeadLetter, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	q.Limit = min(q.Limit, 1000)
	where := []string{"id > ?"}
	args := []any{q.After}
	for col, v := range map[string]string{"kind": q.Kind, "source": q.Source, "state": q.State} {
		if v != "" {
			where = append(where, col+" = ?")
			args = append(args, v)
		}
	}
	args = append(args, q.Limit)
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT `+deadLetterCols+` FROM dead_letters WHERE `+strings.Join(where, " AND ")+` ORDER BY id LIMIT ?`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.DeadLetter{}
	for rows.Next() {
		d, err := scanDeadLetter(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ResolveDeadLetter implements store.DeadLetters.
func (s *Store) ResolveDeadLetter(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE dead_letters SET state = ?, updated_at = ? WHERE id = ?`), store.DeadLetterResolved, s.now().UnixNano(), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("dead letter %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// AcquireLease implements store.Leases.
func (s *Store) AcquireLease(ctx context.Context, name, owner string, ttl time.Duration) (bool, error) {
	now := s.now()
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO leases (name, owner, lease_until) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
		WHERE leases.owner = excluded.owner OR leases.lease_until < ?`),
		name, owner, now.Add(ttl).UnixNano(), now.UnixNano())
	if err != nil {
		return false, fmt.Errorf("sqlstore: acquire lease %s: %w", name, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseLease implements store.Leases.
func (s *Store) ReleaseLease(ctx context.Context, name, owner string) error {
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM leases WHERE name = ? AND owner = ?`), name, owner)
	return err
}

// LeaseHolder implements store.Leases.
func (s *Store) LeaseHolder(ctx context.Context, name string) (string, time.Time, error) {
	var owner string
	var until int64
	err := s.r.QueryRowContext(ctx, s.q(`SELECT owner, lease_until FROM leases WHERE name = ?`), name).Scan(&owner, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return "", time.Time{}, nil
	}
	return owner, time.Unix(0, until).UTC(), err
}
