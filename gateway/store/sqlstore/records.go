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
	if err == nil {
		if v.Canonical, err = decodeBody(v.Canonical); err != nil {
			err = fmt.Errorf("sqlstore: record %s version %d: %w", v.RecordID, v.Seq, err)
		}
	}
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

func (s *Store) versionQuery() string {
	return `SELECT ` + versionCols + ` FROM versions v WHERE v.rid = ` + s.ridOf() + ` AND v.digest = ?`
}

// Version implements store.Records.
func (s *Store) Version(ctx context.Context, id string, digest schema.Digest) (store.Version, error) {
	v, err := scanVersion(s.stmt(ctx, nil, s.versionQuery()).QueryRowContext(ctx, id, string(digest)))
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("record %s version %s: %w", id, digest, store.ErrNotFound)
	}
	return v, err
}

// versionBySeq reads the version with seq ? and digest ?.
const versionBySeq = `SELECT ` + versionCols + ` FROM versions v WHERE v.seq = ? AND v.digest = ?`

// DeliveryVersion reads the version d delivers: by its key when the
// store returned d (Delivery.VSeq), else as Version does.
func (s *Store) DeliveryVersion(ctx context.Context, d store.Delivery) (store.Version, error) {
	if d.VSeq == 0 {
		return s.Version(ctx, d.RecordID, d.Digest)
	}
	v, err := scanVersion(s.stmt(ctx, nil, versionBySeq).QueryRowContext(ctx, d.VSeq, string(d.Digest)))
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("record %s version %s: %w", d.RecordID, d.Digest, store.ErrNotFound)
	}
	return v, err
}

// Record implements store.Records.
func (s *Store) Record(ctx context.Context, id string) (store.RecordDetail, error) {
	var d store.RecordDetail
	var headSeq int64
	// The record's rid first: with Dialect.IDTerms a lookup by id costs
	// tens of µs, and the history and the deliveries both need it.
	var rid sql.NullInt64
	if err := s.r.QueryRowContext(ctx, s.q(`SELECT `+s.ridOf()), id).Scan(&rid); err != nil {
		return d, err
	}
	if !rid.Valid {
		return d, fmt.Errorf("record %s: %w", id, store.ErrNotFound)
	}
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT r.head_seq, `+versionCols+` FROM records r JOIN versions v ON v.rid = r.rid WHERE r.rid = ? ORDER BY v.seq`), rid.Int64)
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
	d.Deliveries, err = s.deliveries(ctx, `d.vseq IN (SELECT v.seq FROM versions v WHERE v.rid = ?)`, rid.Int64)
	return d, err
}

// List implements store.Records.
func (s *Store) List(ctx context.Context, q store.Query) (store.Page, error) {
	query, args, limit, err := s.listQuery(q)
	if err != nil {
		return store.Page{}, err
	}
	if s.d.PlanEachArg != nil {
		args = append([]any{s.d.PlanEachArg}, args...)
	}
	rows, err := s.r.QueryContext(ctx, query, args...)
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

// ExplainList returns the database's plan for List(q), one line per step
// (SQLite's EXPLAIN QUERY PLAN details, PostgreSQL's EXPLAIN lines): for
// an operator looking into a slow list, and for tests that hold the plans
// to streaming in seq order.
func (s *Store) ExplainList(ctx context.Context, q store.Query) ([]string, error) {
	query, args, _, err := s.listQuery(q)
	if err != nil {
		return nil, err
	}
	explain, col := `EXPLAIN `, 0
	if !s.d.Numbered {
		explain, col = `EXPLAIN QUERY PLAN `, 3
	}
	rows, err := s.r.QueryContext(ctx, explain+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var plan []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		plan = append(plan, fmt.Sprint(vals[col]))
	}
	return plan, rows.Err()
}

// listQuery returns the query text (in the dialect's placeholders) and
// arguments of List(q), and the page size: the query asks for one more
// row, which tells whether a next page exists.
func (s *Store) listQuery(q store.Query) (query string, args []any, limit int, err error) {
	limit = q.Limit
	if limit <= 0 {
		limit = 100
	}
	if limit > 1000 {
		limit = 1000
	}
	if strings.Trim(q.HSCode, "0123456789") != "" {
		return "", nil, 0, fmt.Errorf("hs code filter %q: digits only: %w", q.HSCode, store.ErrInvalidQuery)
	}
	// The filters but the codes and the cursor.
	var filters []string
	var filterArgs []any
	filter := func(cond string, a ...any) {
		filters = append(filters, cond)
		filterArgs = append(filterArgs, a...)
	}
	// A version is listed when it is its record's head. The record is
	// reached by its key (so no index on head_seq is needed, store
	// version 6) in a subquery per version rather than a join: as a join
	// PostgreSQL misjudged how few rows match both columns and hashed the
	// whole of records and sorted every later version for each page (22
	// ms a page on 20,000 records), where versions read in seq order stop
	// at the page's end. A head is its record's latest version (the
	// integrity check holds it), so ">=" means "=" here; as "=" the planner
	// took the check to pass one version in 200 (its default for an
	// equality it cannot estimate) and, with a page's worth of versions
	// expected from all of a country's, read and sorted all of them (95 ms
	// a page on 200,000 records) instead of reading them in seq order to
	// the page's end (0.7 ms). For ">=" it assumes one in three.
	filter(`v.seq >= (SELECT h.head_seq FROM records h WHERE h.rid = v.rid)`)
	if q.Type != "" {
		filter(`v.type = ?`, q.Type)
	}
	if q.Issuer != "" {
		filter(`v.issuer = ?`, q.Issuer)
	}
	if q.Partner != "" {
		filter(`v.partner = ?`, q.Partner)
	}
	if !q.From.IsZero() {
		filter(`v.issued_at >= ?`, q.From.UnixNano())
	}
	if !q.To.IsZero() {
		filter(`v.issued_at < ?`, q.To.UnixNano())
	}
	if q.State != "" {
		filter(`EXISTS (SELECT 1 FROM deliveries d WHERE d.vseq = v.seq AND d.state = ?)`, q.State)
	}
	// sel returns the query of the versions in from matching conds (with
	// args) and the filters, in order, one more than a page.
	sel := func(from, order string, conds []string, a []any) (string, []any) {
		return `SELECT ` + versionCols + ` FROM ` + from + ` WHERE ` + strings.Join(append(conds, filters...), " AND ") + ` ORDER BY ` + order + ` LIMIT ?`,
			append(append(a, filterArgs...), limit+1)
	}
	codes := q.HSCode != "" || q.Country != ""
	switch {
	case s.d.Terms && codes:
		// The terms index leads (CROSS JOIN fixes the order): FTS5 walks
		// the matching doclists in row id (seq) order from the cursor on,
		// so the page ends after limit matches, with no sort, however
		// many the whole store holds. Left to itself the planner may
		// start from an index of versions and sort every match.
		query, args = sel(`record_terms CROSS JOIN versions v ON v.seq = record_terms.rowid`, `record_terms.rowid`,
			[]string{`record_terms MATCH ?`, `record_terms.rowid > ?`}, []any{termsQuery(q.HSCode, q.Country), q.After})
	case s.d.DeferredCodes && codes:
		// The versions indexed in record_codes, and those after the
		// indexer's watermark by the codes in their rows (codeindex.go).
		// The watermark is the one last seen: the indexed ones may be
		// more, but never fewer. As a number the planner sees (not a
		// subquery) it tells how few versions lie after it.
		w := s.codesIndexed.Load()
		indexed, ia, tail, ta := deferredCodesFilter(q.HSCode, q.Country)
		q1, a1 := sel(`versions v`, `v.seq`, []string{`v.seq > ?`, `v.seq <= ?`, indexed}, append([]any{q.After, w}, ia...))
		q2, a2 := sel(`versions v`, `v.seq`, []string{`v.seq > ?`, tail}, append([]any{max(q.After, w)}, ta...))
		query = `SELECT * FROM ((` + q1 + `) UNION ALL (` + q2 + `)) AS u ORDER BY seq LIMIT ?`
		args = append(append(a1, a2...), limit+1)
	default:
		query, args = sel(`versions v`, `v.seq`, []string{`v.seq > ?`}, []any{q.After})
	}
	return s.q(query), args, limit, nil
}

// prefixEnd returns the least string above every string that starts
// with p, digits after at most one ASCII letter ("0519" -> "052",
// "h99" -> "i"), or "" when there is none (p is all nines).
func prefixEnd(p string) string {
	p = strings.TrimRight(p, "9")
	if p == "" {
		return ""
	}
	return p[:len(p)-1] + string(p[len(p)-1]+1)
}
