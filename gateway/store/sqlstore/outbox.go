package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ledgergate/ledgergate/adapters"
	"github.com/ledgergate/ledgergate/gateway/store"
	"github.com/ledgergate/ledgergate/schema"
)

// versionSeq selects the seq of version (record id ?, digest ?).
func (s *Store) versionSeq() string {
	return `SELECT v.seq FROM versions v WHERE v.rid = ` + s.ridOf() + ` AND v.digest = ?`
}

// deliveryCols are a delivery's columns, read from deliveryFrom: the
// record id and digest are its version's (schema version 9).
const deliveryCols = `v.record_id, v.digest, d.ledger, d.policy, d.state, d.attempts, d.next_at, d.error, d.receipt, d.updated_at, d.vseq`

// deliveryFrom joins each delivery d to its version v.
const deliveryFrom = `deliveries d JOIN versions v ON v.seq = d.vseq`

// deliveryReturning is deliveryCols in a RETURNING clause of deliveries,
// which can name no other table: the version's columns are looked up.
const deliveryReturning = `(SELECT v.record_id FROM versions v WHERE v.seq = deliveries.vseq), (SELECT v.digest FROM versions v WHERE v.seq = deliveries.vseq),
		ledger, policy, state, attempts, next_at, error, receipt, updated_at, vseq`

// scanDelivery scans deliveryCols, after the columns before (if any).
func scanDelivery(row interface{ Scan(...any) error }, before ...any) (store.Delivery, error) {
	var d store.Delivery
	var digest, policy string
	var receipt sql.NullString
	var next, updated int64
	if err := row.Scan(append(before, &d.RecordID, &digest, &d.Ledger, &policy, &d.State, &d.Attempts, &next, &d.Error, &receipt, &updated, &d.VSeq)...); err != nil {
		return d, err
	}
	d.Digest = schema.Digest(digest)
	d.NextAttempt, d.UpdatedAt = time.Unix(0, next).UTC(), time.Unix(0, updated).UTC()
	if err := json.Unmarshal([]byte(policy), &d.Policy); err != nil {
		return d, fmt.Errorf("delivery %s/%s: policy: %w", d.RecordID, d.Ledger, err)
	}
	if receipt.Valid && receipt.String != "" {
		d.Receipt = new(adapters.Receipt)
		if err := json.Unmarshal([]byte(receipt.String), d.Receipt); err != nil {
			return d, fmt.Errorf("delivery %s/%s: receipt: %w", d.RecordID, d.Ledger, err)
		}
	}
	return d, nil
}

func (s *Store) deliveries(ctx context.Context, where string, args ...any) ([]store.Delivery, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT `+deliveryCols+` FROM `+deliveryFrom+` WHERE `+where+` ORDER BY d.vseq, d.ledger`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Deliveries implements store.Outbox.
func (s *Store) Deliveries(ctx context.Context, id string, digest schema.Digest) ([]store.Delivery, error) {
	return s.deliveries(ctx, `d.vseq = (`+s.versionSeq()+`)`, id, string(digest))
}

var _ store.VersionDeliveries = (*Store)(nil)

// DeliveriesOfVersions implements store.VersionDeliveries: one query per
// few thousand versions, on the deliveries' primary key.
func (s *Store) DeliveriesOfVersions(ctx context.Context, seqs []int64) (map[int64][]store.Delivery, error) {
	out := make(map[int64][]store.Delivery, len(seqs))
	for start := 0; start < len(seqs); start += maxParams {
		chunk := seqs[start:min(start+maxParams, len(seqs))]
		args := make([]any, len(chunk))
		for i, seq := range chunk {
			args[i] = seq
		}
		rows, err := s.r.QueryContext(ctx, s.q(`SELECT d.vseq, `+deliveryCols+` FROM `+deliveryFrom+` WHERE d.vseq IN (`+placeholders(len(chunk), 1)+`) ORDER BY d.vseq, d.ledger`), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var seq int64
			d, err := scanDelivery(rows, &seq)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[seq] = append(out[seq], d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Claim implements store.Outbox.
func (s *Store) Claim(ctx context.Context, owner string, n int, lease time.Duration) ([]store.Delivery, error) {
	if n <= 0 {
		return nil, nil
	}
	now := s.now().UnixNano()
	var out []store.Delivery
	err := s.group(ctx, func(ctx context.Context, tx *sql.Tx) error {
		out = out[:0]
		args := []any{owner, now + lease.Nanoseconds()}
		for range claimStates {
			args = append(args, now, now, n)
		}
		rows, err := s.stmt(ctx, tx, s.claimQuery()).QueryContext(ctx, append(args, n)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			d, err := scanDelivery(rows)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return rows.Err()
	})
	return out, err
}

// Update implements store.Outbox.
func (s *Store) Update(ctx context.Context, owner string, d store.Delivery, audit ...store.AuditEntry) error {
	return s.update(ctx, owner, d, true, audit)
}

// Progress implements store.Outbox.
func (s *Store) Progress(ctx context.Context, owner string, d store.Delivery, audit ...store.AuditEntry) error {
	return s.update(ctx, owner, d, false, audit)
}

func (s *Store) update(ctx context.Context, owner string, d store.Delivery, release bool, audit []store.AuditEntry) error {
	var receipt any
	if d.Receipt != nil {
		b, err := json.Marshal(d.Receipt)
		if err != nil {
			return err
		}
		receipt = string(b)
	}
	now := s.now().UnixNano()
	next := d.NextAttempt.UnixNano()
	if d.NextAttempt.IsZero() {
		next = now
	}
	return s.group(ctx, func(ctx context.Context, tx *sql.Tx) error {
		vseq, err := s.deliveryVSeq(ctx, tx, d)
		if err != nil {
			return err
		}
		res, err := s.stmt(ctx, tx, updateQuery(release)).ExecContext(ctx,
			d.State, d.Attempts, next, d.Error, receipt, now, vseq, d.Ledger, owner, now)
		if err != nil {
			return err
		}
		if err := leaseHeld(res, "update", owner, d); err != nil {
			return err
		}
		for _, e := range audit {
			of := int64(0)
			if e.RecordID == d.RecordID {
				of = vseq // the delivery's version names the record: no lookup by id
			}
			if err := s.appendAudit(ctx, tx, e, of); err != nil {
				return err
			}
		}
		return nil
	})
}

// Renew implements store.Outbox.
func (s *Store) Renew(ctx context.Context, owner string, d store.Delivery, lease time.Duration) error {
	now := s.now().UnixNano()
	return s.group(ctx, func(ctx context.Context, tx *sql.Tx) error {
		vseq, err := s.deliveryVSeq(ctx, tx, d)
		if err != nil {
			return err
		}
		res, err := s.stmt(ctx, tx, renewQuery).ExecContext(ctx, now+lease.Nanoseconds(), vseq, d.Ledger, owner, now)
		if err != nil {
			return err
		}
		return leaseHeld(res, "renew", owner, d)
	})
}

// leaseHeld returns ErrLeaseLost if an update of a leased delivery (what)
// changed no row: owner no longer holds the lease.
func leaseHeld(res sql.Result, what, owner string, d store.Delivery) error {
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("%s delivery %s@%s to %s by %s: %w", what, d.RecordID, d.Digest, d.Ledger, owner, store.ErrLeaseLost)
	}
	return nil
}

// renewQuery moves the end of a lease its owner still holds.
const renewQuery = `UPDATE deliveries SET lease_until = ?
		WHERE vseq = ? AND ledger = ? AND lease_owner = ? AND lease_until >= ?`

// deliveryVSeq returns the seq of d's version: d.VSeq, or looked up by
// record id and digest (0 when no such version is stored, which no
// update then matches).
func (s *Store) deliveryVSeq(ctx context.Context, tx *sql.Tx, d store.Delivery) (int64, error) {
	if d.VSeq != 0 {
		return d.VSeq, nil
	}
	var seq int64
	err := tx.QueryRowContext(ctx, s.q(s.versionSeq()), d.RecordID, string(d.Digest)).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return seq, err
}

// claimStates are the states a delivery is claimed in.
var claimStates = []string{store.StatePending, store.StateSubmitted, store.StateCommitted}

// claimQuery leases up to n due deliveries, the earliest due first. Its
// arguments are the owner and the lease end, then for each of claimStates
// now, now and n, then n.
//
// A version waits while an earlier version of its record is still on its
// way to the same ledger (pending or submitted): the ledger refuses a
// version whose predecessor it does not hold yet, and that refusal is
// final.
//
// The query is shaped so that both databases walk deliveries_due in order
// and stop at n, checking only the deliveries they walk, whatever the
// planner's statistics say; PostgreSQL otherwise read and sorted every due
// delivery first, and ran the check as a hash anti-join over all versions
// (BenchmarkClaim behind a backlog of 100,000: 1.3 s to 12 s per claim):
//   - each state is read on its own (one read over the three states must
//     sort);
//   - the check is a scalar subquery compared with <> (PostgreSQL turns NOT
//     EXISTS into an anti-join, and expects an IS NULL test to pass one row
//     in 200, so it would rather sort everything than walk the index);
//   - it starts from the version's record (the versions primary key, then
//     the (rid, digest) index; "+ 0" keeps the seq range off the primary
//     key) and looks each earlier version's delivery up by primary key.
func (s *Store) claimQuery() string {
	var branches []string
	for _, state := range claimStates {
		branches = append(branches, `SELECT * FROM (SELECT d.vseq, d.ledger, d.next_at FROM deliveries d
			WHERE d.state = '`+state+`' AND d.next_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?)
			AND COALESCE((SELECT 1 FROM versions prev
				WHERE prev.rid = (SELECT cur.rid FROM versions cur WHERE cur.seq = d.vseq) AND prev.seq + 0 < d.vseq
				AND (SELECT p.state FROM deliveries p WHERE p.vseq = prev.seq AND p.ledger = d.ledger) IN ('pending', 'submitted')
				LIMIT 1), 0) <> 1
			ORDER BY d.next_at LIMIT ? `+s.d.SkipLocked+`) `+state)
	}
	return `UPDATE deliveries SET lease_owner = ?, lease_until = ?
		WHERE (vseq, ledger) IN (
			SELECT vseq, ledger FROM (` + strings.Join(branches, "\n\t\t\tUNION ALL ") + `) due
			ORDER BY next_at LIMIT ?)
		RETURNING ` + deliveryReturning
}

// updateQuery stores a leased delivery's new state, and with release
// gives up the lease.
func updateQuery(release bool) string {
	lease := ``
	if release {
		lease = `, lease_owner = NULL, lease_until = NULL`
	}
	return `UPDATE deliveries SET state = ?, attempts = ?, next_at = ?, error = ?, receipt = COALESCE(?, receipt), updated_at = ?` + lease + `
		WHERE vseq = ? AND ledger = ? AND lease_owner = ? AND lease_until >= ?`
}

// Counts implements store.Outbox.
func (s *Store) Counts(ctx context.Context) (map[string]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT state, COUNT(*) FROM deliveries GROUP BY state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, err
		}
		out[state] = n
	}
	return out, rows.Err()
}
