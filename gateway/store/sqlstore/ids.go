package sqlstore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/bits-and-blooms/bloom/v3"

	"github.com/ledgergate/ledgergate/gateway/store"
)

// Record ids as full-text terms (Dialect.IDTerms, SQLite since store
// version 10).
//
// Partners choose record ids, and most are random (UUIDv4). In a unique
// B-tree index each new random id lands on a leaf of its own once the
// index has more leaves than a commit has records, and the commit then
// writes that whole page to the WAL, and a checkpoint writes it again:
// about 4 KiB for a record whose other rows take 2. That index was the
// largest cost of accepting a record that grew with the store
// (docs/performance.md). The ids go instead into record_ids, a
// contentless FTS5 table like record_terms: a commit's ids are written as
// one sorted segment, and segments are merged later. Its row id is the
// record's rid and its one term "i" and the id in hex: one token of the
// ascii tokenizer, never a query operator (hex has no N, O, R or T), and
// never empty (FTS5 refuses an empty query; "i" alone matches nothing).
//
// FTS5 keeps no uniqueness, and a lookup in it probes every segment (tens
// of µs, against a few for a B-tree), so the writer does not look every
// new id up: it keeps a Bloom filter of the stored ids, built when the
// store opens, and looks up only the ids the filter may hold (1 in 100 of
// the new ones, and the stored ones). Reads by id (a record, a version,
// its deliveries and audit entries) make one lookup each.

// idTerm is the record_ids term of a record id, as the SQL of ridOfExpr
// and idsInsert makes it.
func idTerm(id string) string { return "i" + strings.ToUpper(hex.EncodeToString([]byte(id))) }

// idsMatch is the record_ids query that matches any of ids.
func idsMatch(ids []string) string {
	terms := make([]string, len(ids))
	for i, id := range ids {
		terms[i] = idTerm(id)
	}
	return strings.Join(terms, " OR ")
}

// ridOf is an SQL expression for the rid of the record whose id is the
// next parameter (NULL if none).
func (s *Store) ridOf() string { return s.ridOfExpr(`?`) }

// ridOfExpr is an SQL expression for the rid of the record whose id is
// the SQL expression id (NULL if none).
func (s *Store) ridOfExpr(id string) string {
	if s.d.IDTerms {
		return `(SELECT rowid FROM record_ids WHERE record_ids MATCH 'i' || hex(` + id + `))`
	}
	return `(SELECT rid FROM records WHERE record_id = ` + id + `)`
}

// idsInsert indexes the ids of the records rows with rids in [?, ?].
const idsInsert = `INSERT INTO record_ids (rowid, id) SELECT rid, 'i' || hex(record_id) FROM records WHERE rid BETWEEN ? AND ?`

// idsPerQuery bounds the ids of one record_ids query.
const idsPerQuery = 500

// storedIDs returns the rids of those of ids that are stored (one FTS5
// query per idsPerQuery ids).
func (s *Store) storedIDs(ctx context.Context, tx *sql.Tx, ids []string) (map[string]int64, error) {
	out := map[string]int64{}
	for start := 0; start < len(ids); start += idsPerQuery {
		chunk := ids[start:min(start+idsPerQuery, len(ids))]
		rows, err := tx.QueryContext(ctx, `SELECT rid, record_id FROM records WHERE rid IN (SELECT rowid FROM record_ids WHERE record_ids MATCH ?)`, idsMatch(chunk))
		if err != nil {
			return nil, fmt.Errorf("sqlstore: look up record ids: %w", err)
		}
		for rows.Next() {
			var rid int64
			var id string
			if err := rows.Scan(&rid, &id); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = rid
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// idFilter is a Bloom filter of the stored record ids that grows with
// them: a new filter twice the size of the last is added whenever the
// last holds as many ids as it was sized for, so the false positive rate
// stays near idFalsePositives. Only the writer uses it.
type idFilter struct {
	filters    []*bloom.BloomFilter
	size, room uint // ids the last filter is sized for, and takes before the next is added
}

const (
	idFilterFirst    = 1 << 20 // ids the first filter is sized for
	idFalsePositives = 0.01
)

// takeIDs makes this store the one that inserts records into the
// database (WithAcceptLock) and builds its filter of the stored ids; the
// writer calls it, in its transaction, before it first inserts records.
func (s *Store) takeIDs(ctx context.Context, tx *sql.Tx) error {
	if s.ids != nil {
		return nil
	}
	if s.acceptLock != nil && s.release == nil {
		release, err := s.acceptLock()
		if err != nil {
			return fmt.Errorf("sqlstore: records can be accepted by one store at a time: %w", err)
		}
		s.release = release
	}
	f, err := loadIDFilter(ctx, tx)
	if err != nil {
		return err
	}
	s.ids = f
	return nil
}

// loadIDFilter builds the filter of the ids stored.
func loadIDFilter(ctx context.Context, tx *sql.Tx) (*idFilter, error) {
	var n uint
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM records`).Scan(&n); err != nil {
		return nil, fmt.Errorf("sqlstore: count records: %w", err)
	}
	f := newIDFilter(2 * n)
	rows, err := tx.QueryContext(ctx, `SELECT record_id FROM records`)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read record ids: %w", err)
	}
	defer rows.Close()
	var id []byte
	for rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		f.add(id)
	}
	return f, rows.Err()
}

// newIDFilter returns an empty filter whose first part is sized for n
// ids (at least idFilterFirst).
func newIDFilter(n uint) *idFilter {
	n = max(n, idFilterFirst)
	return &idFilter{filters: []*bloom.BloomFilter{bloom.NewWithEstimates(n, idFalsePositives)}, size: n, room: n}
}

func (f *idFilter) add(id []byte) {
	if f.room == 0 {
		f.size *= 2
		f.filters = append(f.filters, bloom.NewWithEstimates(f.size, idFalsePositives))
		f.room = f.size
	}
	f.filters[len(f.filters)-1].Add(id)
	f.room--
}

// mayHold reports whether id may be stored; false means it is not.
func (f *idFilter) mayHold(id []byte) bool {
	for _, b := range f.filters {
		if b.Test(id) {
			return true
		}
	}
	return false
}

// splitStored splits the requests live[i], i in fresh, into those whose
// ids are not stored and those whose ids are (looked up only when the
// filter may hold them).
func (s *Store) splitStored(ctx context.Context, tx *sql.Tx, live []*acceptReq, fresh []int) (news, stored []int, err error) {
	var maybe []string
	for _, i := range fresh {
		if id := live[i].v.RecordID; s.ids.mayHold([]byte(id)) {
			maybe = append(maybe, id)
		}
	}
	if len(maybe) == 0 {
		return fresh, nil, nil
	}
	found, err := s.storedIDs(ctx, tx, maybe)
	if err != nil {
		return nil, nil, err
	}
	for _, i := range fresh {
		if _, ok := found[live[i].v.RecordID]; ok {
			stored = append(stored, i)
		} else {
			news = append(news, i)
		}
	}
	return news, stored, nil
}

// headsOf calls fn with the rid and head version of each stored record
// among ids.
func (s *Store) headsOf(ctx context.Context, tx *sql.Tx, ids []string, fn func(rid int64, v store.Version)) error {
	for start := 0; start < len(ids); start += idsPerQuery {
		chunk := ids[start:min(start+idsPerQuery, len(ids))]
		var query string
		var args []any
		if s.d.IDTerms {
			query = `SELECT r.rid, ` + versionCols + ` FROM records r JOIN versions v ON v.seq = r.head_seq WHERE r.rid IN (SELECT rowid FROM record_ids WHERE record_ids MATCH ?)`
			args = []any{idsMatch(chunk)}
		} else {
			query = `SELECT r.rid, ` + versionCols + ` FROM records r JOIN versions v ON v.seq = r.head_seq WHERE r.record_id IN (` + placeholders(len(chunk), 1) + `)`
			for _, id := range chunk {
				args = append(args, id)
			}
		}
		rows, err := tx.QueryContext(ctx, s.q(query), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var rid int64
			v, err := scanVersion(rows, &rid)
			if err != nil {
				rows.Close()
				return err
			}
			fn(rid, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}
