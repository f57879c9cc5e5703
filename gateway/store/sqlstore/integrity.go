package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// ErrIntegrity is wrapped by CheckIntegrity's errors.
var ErrIntegrity = errors.New("store integrity")

// integrityCheck counts the rows that break one relation.
type integrityCheck struct{ what, query string }

// integrityChecks are the relations between the record tables that the
// store keeps itself (neither database enforces them; see migration 5).
var integrityChecks = []integrityCheck{
	{"versions whose record is missing", `SELECT COUNT(*) FROM versions v WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.rid = v.rid)`},
	{"records whose head version is missing or another record's", `SELECT COUNT(*) FROM records r WHERE NOT EXISTS (SELECT 1 FROM versions v WHERE v.seq = r.head_seq AND v.rid = r.rid)`},
	{"records whose head is not their latest version", `SELECT COUNT(*) FROM records r WHERE r.head_seq <> (SELECT MAX(v.seq) FROM versions v WHERE v.rid = r.rid)`},
	{"deliveries of a missing version", `SELECT COUNT(*) FROM deliveries d WHERE NOT EXISTS (SELECT 1 FROM versions v WHERE v.seq = d.vseq)`},
	{"audit entries of a missing record", `SELECT COUNT(*) FROM audit a WHERE a.rid <> 0 AND NOT EXISTS (SELECT 1 FROM records r WHERE r.rid = a.rid AND r.record_id = a.record_id)`},
}

// codesChecks are the index codes' relation to their versions. A
// contentless FTS5 table (Dialect.Terms) cannot list its rows, but every
// version's row holds an h or a c term, so prefix queries on those find
// them all. With Dialect.DeferredCodes, every version up to the
// indexer's watermark that has codes must have them in record_codes.
func (s *Store) codesChecks() []integrityCheck {
	orphans := integrityCheck{"index codes of a missing version", `SELECT COUNT(*) FROM record_codes c WHERE NOT EXISTS (SELECT 1 FROM versions v WHERE v.seq = c.seq)`}
	switch {
	case s.d.DeferredCodes:
		return []integrityCheck{orphans, {"versions whose codes the indexer passed over", `SELECT COUNT(*) FROM versions v WHERE v.seq <= (SELECT indexed_through FROM code_index) AND cardinality(v.codes) > 0 AND NOT EXISTS (SELECT 1 FROM record_codes c WHERE c.seq = v.seq)`}}
	case s.d.Terms:
		return []integrityCheck{{"index codes of a missing version", `SELECT COUNT(*) FROM record_terms WHERE record_terms MATCH '"h"* OR "c"*' AND NOT EXISTS (SELECT 1 FROM versions v WHERE v.seq = record_terms.rowid)`}}
	}
	return []integrityCheck{orphans}
}

// idChecks are the record ids' relations (Dialect.IDTerms: no unique
// index keeps them): each record is found by its id, and only it (a
// second record with the same id, or a missing index entry, fails the
// first check); every indexed id is a record's. A contentless FTS5 table
// cannot list its rows, but every term starts with i, so a prefix query
// finds them all.
func (s *Store) idChecks() []integrityCheck {
	if !s.d.IDTerms {
		return nil
	}
	return []integrityCheck{
		{"records not found by their id, or sharing it", `SELECT COUNT(*) FROM records r WHERE r.rid IS NOT ` + s.ridOfExpr(`r.record_id`)},
		{"record ids indexed for a missing record", `SELECT COUNT(*) FROM record_ids WHERE record_ids MATCH '"i"*' AND NOT EXISTS (SELECT 1 FROM records r WHERE r.rid = record_ids.rowid)`},
	}
}

// CheckIntegrity verifies the relations between records, versions, index
// codes, deliveries and audit entries (and, on SQLite, FTS5's own
// structure check of the index terms). It reads every row: for tests and
// for an operator's occasional check, not for a hot path. The error lists
// each broken relation with its count and wraps ErrIntegrity.
func (s *Store) CheckIntegrity(ctx context.Context) error {
	var errs []error
	if s.d.Terms {
		if _, err := s.db.ExecContext(ctx, `INSERT INTO record_terms (record_terms) VALUES ('integrity-check')`); err != nil {
			errs = append(errs, fmt.Errorf("%w: index terms: %w", ErrIntegrity, err))
		}
	}
	if s.d.IDTerms {
		if _, err := s.db.ExecContext(ctx, `INSERT INTO record_ids (record_ids) VALUES ('integrity-check')`); err != nil {
			errs = append(errs, fmt.Errorf("%w: record ids: %w", ErrIntegrity, err))
		}
	}
	for _, c := range append(append(slices.Clip(integrityChecks), s.codesChecks()...), s.idChecks()...) {
		var n int64
		if err := s.db.QueryRowContext(ctx, c.query).Scan(&n); err != nil {
			return fmt.Errorf("sqlstore: integrity check (%s): %w", c.what, err)
		}
		if n > 0 {
			errs = append(errs, fmt.Errorf("%w: %d %s", ErrIntegrity, n, c.what))
		}
	}
	return errors.Join(errs...)
}
