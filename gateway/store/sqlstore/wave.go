package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/ledgergate/ledgergate/gateway/store"
)

// maxParams bounds the parameters of one statement (SQLite allows 32766,
// PostgreSQL 65535); longer lists are split.
const maxParams = 30000

// acceptWave stores the requests live[i] for i in wave (distinct record
// ids) with a handful of multi-row statements, writing each request's
// outcome to resps[i]: statements per batch, not per record, is what
// makes group commit pay.
func (s *Store) acceptWave(tx *sql.Tx, ids *idAlloc, live []*acceptReq, wave []int, resps []acceptResp) error {
	ctx := context.Background()
	// Numbers: under the writer lock (SQLite's single writer,
	// Dialect.WriterLock elsewhere) the next rid and seq are one more than
	// the highest stored, so they are assigned here instead of read back
	// from each insert, and each row is written once, final.
	if err := ids.load(ctx, tx); err != nil {
		return err
	}
	// 1. New records, optimistically. A request that supersedes nothing
	// is a new record unless its id is stored already, and nearly always
	// it is new: its records row goes in at once, ON CONFLICT DO NOTHING,
	// and only the ids that did not go in need their head looked up.
	// Looking up every id of the wave first cost a probe of the random
	// record-id index per record, which the insert then repeated.
	var fresh, lookup []int
	for _, i := range wave {
		if live[i].v.Supersedes == "" {
			fresh = append(fresh, i)
		} else {
			lookup = append(lookup, i)
		}
	}
	var created, stored []int
	var createdRec map[int]newRecord
	var freshRows []any // records rows that go in with the other inserts (recordsWithWave)
	if s.recordsWithWave(lookup) {
		created = fresh
		freshRows, createdRec = ids.newRecords(live, fresh)
	} else {
		var err error
		created, createdRec, stored, err = s.createRecords(ctx, tx, ids, live, fresh)
		if err != nil {
			return err
		}
	}
	lookup = append(lookup, stored...)
	// 2. Current heads of the other ids.
	type head struct {
		rid int64
		v   store.Version
	}
	heads := map[string]head{}
	if len(lookup) > 0 {
		keys := make([]string, len(lookup))
		for j, i := range lookup {
			keys[j] = live[i].v.RecordID
		}
		err := s.headsOf(ctx, tx, keys, func(rid int64, v store.Version) { heads[v.RecordID] = head{rid, v} })
		if err != nil {
			return err
		}
	}
	// 3. Decide the others. New versions take their seqs after the new
	// records'.
	insert := created
	for _, i := range lookup {
		v := live[i].v
		h, ok := heads[v.RecordID]
		switch {
		case ok && h.v.Digest == v.Digest:
			resps[i] = acceptResp{res: store.AcceptResult{Version: h.v, Existing: true}}
		case ok:
			old, err := scanVersion(tx.QueryRowContext(ctx, s.q(`SELECT `+versionCols+` FROM versions v WHERE v.rid = ? AND v.digest = ?`), h.rid, string(v.Digest)))
			switch {
			case err == nil:
				resps[i] = acceptResp{res: store.AcceptResult{Version: old, Existing: true}}
			case !errors.Is(err, sql.ErrNoRows):
				return err
			case v.Supersedes != h.v.Digest:
				resps[i] = acceptResp{err: fmt.Errorf("record %s is stored with digest %s; a new version must supersede it (supersedes is %q): %w", v.RecordID, h.v.Digest, v.Supersedes, store.ErrConflict)}
			default:
				insert = append(insert, i)
			}
		case v.Supersedes != "":
			resps[i] = acceptResp{err: fmt.Errorf("record %s supersedes %s, but no version of it is stored: %w", v.RecordID, v.Supersedes, store.ErrConflict)}
		default:
			insert = append(insert, i) // not reached: a fresh id not stored went in above
		}
	}
	if len(insert) == 0 {
		return nil
	}
	rids := map[string]int64{}
	for id, h := range heads {
		rids[id] = h.rid
	}
	for _, i := range created {
		rids[live[i].v.RecordID] = createdRec[i].rid
	}
	rows, termsDoc, moved := s.waveRows(live, insert, createdRec, rids, ids, resps)
	for _, i := range moved {
		v := resps[i].res.Version
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE records SET head_seq = ? WHERE rid = ?`), v.Seq, rids[v.RecordID]); err != nil {
			return err
		}
	}
	rows[0] = append(freshRows, rows[0]...)
	if err := s.insertTables(ctx, tx, rows); err != nil {
		if freshRows != nil {
			s.recordsApart = recordsApartBatches
		}
		return err
	}
	if termsDoc != nil {
		if _, err := tx.StmtContext(ctx, s.termsInsert).ExecContext(ctx, string(append(termsDoc, ']'))); err != nil {
			return err
		}
	}
	return nil
}

// waveRows numbers the versions of the requests live[i] for i in insert
// (after ids), writes each one's outcome to resps[i], and returns the
// rows of their inserts into records (those not in createdRec or rids:
// records made here), versions, deliveries and audit, their index terms
// (Dialect.Terms), and the requests whose record's head moves (superseded
// versions, and new records whose seq was taken by an id stored already).
func (s *Store) waveRows(live []*acceptReq, insert []int, createdRec map[int]newRecord, rids map[string]int64, ids *idAlloc, resps []acceptResp) (rows [][]any, termsDoc []byte, moved []int) {
	now := s.now()
	var recArgs, verArgs, delArgs, auditArgs []any
	for k, i := range insert {
		r := live[i]
		v := r.v
		ids.seq++
		v.Seq, v.AcceptedAt = ids.seq, now.UTC()
		rid, ok := rids[v.RecordID]
		if c, isNew := createdRec[i]; isNew {
			if k != c.pos { // its records row holds the seq it would have had (createRecords)
				moved = append(moved, i)
			}
		} else if ok {
			moved = append(moved, i)
		} else {
			ids.rid++
			rid = ids.rid
			recArgs = append(recArgs, rid, v.RecordID, v.Seq)
		}
		verArgs = append(verArgs, v.Seq, rid, v.RecordID, string(v.Digest), v.Type, v.SchemaVersion, v.Issuer, v.Partner, string(v.Supersedes), r.body, v.IssuedAt.UnixNano(), now.UnixNano())
		if s.d.DeferredCodes {
			verArgs = append(verArgs, r.terms)
		} else if r.terms != "" { // Dialect.Terms
			termsDoc = appendTermsRow(termsDoc, v.Seq, r.terms)
		}
		for j, d := range r.deliveries {
			delArgs = append(delArgs, v.Seq, d.Ledger, r.policies[j], store.StatePending, now.UnixNano(), now.UnixNano())
		}
		if a := r.audit; a.Action != "" {
			if a.Time.IsZero() {
				a.Time = now
			}
			auditArgs = append(auditArgs, a.Time.UnixNano(), a.Actor, a.Action, v.RecordID, rid, a.Detail)
		}
		resps[i] = acceptResp{res: store.AcceptResult{Version: v}}
	}
	return [][]any{recArgs, verArgs, delArgs, auditArgs}, termsDoc, moved
}

// recordsApartBatches is how many waves insert their records rows apart
// (createRecords) after a wave that inserted them with its other inserts
// failed.
const recordsApartBatches = 100

// recordsWithWave reports whether a wave's new records rows go in with
// its other inserts, as one statement (Dialect.Unnest, and every request
// of the wave supersedes nothing): a round trip fewer than inserting them
// first, ON CONFLICT DO NOTHING, to learn which ids were stored already.
// Nearly always none is; when one is, the unique index fails the
// statement and the transaction, which the store retries, and the next
// recordsApartBatches waves insert their records apart, so that
// resubmissions of stored records cost one failed attempt per that many
// waves.
func (s *Store) recordsWithWave(lookup []int) bool {
	if !s.d.Unnest || s.d.IDTerms || len(lookup) > 0 {
		return false
	}
	if s.recordsApart > 0 {
		s.recordsApart--
		return false
	}
	return true
}

// newRecord is a record createRecords inserted: its rid, and its position
// among the requests it was given (its head seq is that many after the
// seq assigned last before them).
type newRecord struct {
	rid int64
	pos int
}

// createRecords inserts the records rows of the requests live[i] for i in
// fresh (new records, unless their ids are stored already), each with the
// rid and head seq it would have if all went in, and advances ids.rid
// past them all. It returns the requests whose rows went in, in order,
// with their rids and positions, and those whose ids were stored already
// (their rids stay unused; acceptWave puts the head seqs right).
func (s *Store) createRecords(ctx context.Context, tx *sql.Tx, ids *idAlloc, live []*acceptReq, fresh []int) (created []int, rec map[int]newRecord, stored []int, err error) {
	if len(fresh) == 0 {
		return nil, nil, nil, nil
	}
	if s.d.IDTerms {
		// No unique index turns stored ids away: look up those the
		// filter may hold, and insert the others.
		if err := s.takeIDs(ctx, tx); err != nil {
			return nil, nil, nil, err
		}
		fresh, stored, err = s.splitStored(ctx, tx, live, fresh)
		if err != nil || len(fresh) == 0 {
			return nil, nil, stored, err
		}
	}
	args := make([]any, 0, 3*len(fresh))
	for j, i := range fresh {
		args = append(args, ids.rid+1+int64(j), live[i].v.RecordID, ids.seq+1+int64(j))
	}
	in, err := s.insertRecords(ctx, tx, args)
	if err != nil {
		return nil, nil, nil, err
	}
	rec = make(map[int]newRecord, len(fresh))
	for j, i := range fresh {
		if rid := ids.rid + 1 + int64(j); in[rid] {
			created = append(created, i)
			rec[i] = newRecord{rid, j}
		} else {
			stored = append(stored, i)
		}
	}
	if s.d.IDTerms {
		if _, err := tx.StmtContext(ctx, s.idsInsert).ExecContext(ctx, ids.rid+1, ids.rid+int64(len(fresh))); err != nil {
			return nil, nil, nil, fmt.Errorf("sqlstore: index record ids: %w", err)
		}
		for _, i := range created {
			s.ids.add([]byte(live[i].v.RecordID))
		}
	}
	ids.rid += int64(len(fresh))
	return created, rec, stored, nil
}

// rowInsert is a multi-row insert into one table.
type rowInsert struct {
	head  string // INSERT INTO t (cols)
	types []colType
	// exprs, when set, holds the select list of the unnest insert
	// (Dialect.Unnest) over the columns c1, c2, ...: "" for a column as
	// it is.
	exprs []string
	// ids marks the columns that hold a record number ('r', rid) or a
	// version number ('s', seq): acceptAlone's statement adds the highest
	// stored to them.
	ids string
}

// acceptInserts returns the inserts of accepting a version, in order:
// records, versions, deliveries and audit. The index codes go with them
// as termsInsert (Dialect.Terms) or in a versions column, copied later
// (Dialect.DeferredCodes).
func acceptInserts(d Dialect) []rowInsert {
	versions := rowInsert{head: `INSERT INTO versions (seq, rid, record_id, digest, type, schema_version, issuer, partner, supersedes, canonical, issued_at, accepted_at)`,
		types: []colType{colInt, colInt, colText, colText, colText, colText, colText, colText, colText, colBytes, colInt, colInt}, ids: "sr"}
	if d.DeferredCodes {
		// The terms, separated by spaces in one text per version (an
		// array of arrays would unnest to its elements).
		versions.head = strings.Replace(versions.head, `accepted_at)`, `accepted_at, codes)`, 1)
		versions.types = append(versions.types, colText)
		versions.exprs = make([]string, len(versions.types))
		versions.exprs[12] = `string_to_array(NULLIF(c13, ''), ' ')`
	}
	return []rowInsert{
		{head: `INSERT INTO records (rid, record_id, head_seq)`, types: []colType{colInt, colText, colInt}, ids: "r s"},
		versions,
		{head: `INSERT INTO deliveries (vseq, ledger, policy, state, next_at, updated_at)`, types: []colType{colInt, colText, colText, colText, colInt, colInt}, ids: "s"},
		{head: `INSERT INTO audit (time, actor, action, record_id, rid, detail)`, types: []colType{colInt, colText, colText, colText, colInt, colText}, ids: "    r"},
	}
}

// idAlloc hands out the record and version numbers of one accepting
// transaction.
type idAlloc struct {
	loaded   bool
	rid, seq int64 // the last assigned
}

// newRecords numbers the requests live[i] for i in fresh as new records
// after the last assigned rid, and returns their records rows (rid,
// record id, head seq) and each one's record by request. Each head is
// the seq its version gets when the versions are numbered next, in the
// same order (waveRows).
func (a *idAlloc) newRecords(live []*acceptReq, fresh []int) ([]any, map[int]newRecord) {
	rows := make([]any, 0, 3*len(fresh))
	rec := make(map[int]newRecord, len(fresh))
	for j, i := range fresh {
		rid := a.rid + 1 + int64(j)
		rows = append(rows, rid, live[i].v.RecordID, a.seq+1+int64(j))
		rec[i] = newRecord{rid, j}
	}
	a.rid += int64(len(fresh))
	return rows, rec
}

func (a *idAlloc) load(ctx context.Context, tx *sql.Tx) error {
	if a.loaded {
		return nil
	}
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT COALESCE(MAX(rid), 0) FROM records), (SELECT COALESCE(MAX(seq), 0) FROM versions)`).Scan(&a.rid, &a.seq); err != nil {
		return err
	}
	a.loaded = true
	return nil
}

// colType is a column's type in a bulk insert.
type colType int

const (
	colInt   colType = iota // int64 (or int)
	colText                 // string
	colBytes                // []byte
)

var pgArrayTypes = map[colType]string{colInt: "bigint[]", colText: "text[]", colBytes: "bytea[]"}

// chunkParams bounds the parameters of one of SQLite's multi-row
// inserts. modernc.org/sqlite finds each positional parameter's argument
// by a linear search from the first, so binding n parameters costs time
// quadratic in n (6 µs of a record's 60 in the writer with 32-row
// inserts of versions), while each statement run has a fixed cost of a few
// µs: about 100 parameters per statement balances the two.
const chunkParams = 100

// chunkRows returns the row counts of the multi-row inserts of a table
// with cols columns, largest first and ending in 1: the most rows that fit
// in chunkParams, a quarter of that, and one. A few fixed sizes let each
// be prepared once.
func chunkRows(cols int) []int {
	big := max(1, chunkParams/cols)
	sizes := []int{big}
	if q := big / 4; q > 1 {
		sizes = append(sizes, q)
	}
	if big > 1 {
		sizes = append(sizes, 1)
	}
	return sizes
}

// insertTables inserts rows[t] into the table of s.accept[t] for each t.
// With Dialect.Unnest each insert is over unnest() of one array per
// column (as many parameters as columns, where VALUES would make the
// server parse and plan every row), and they are one statement, each but
// the last a data-modifying WITH query: one round trip instead of one per
// table, each of which, on a busy host, also waits for the writer's
// goroutine to be run again.
func (s *Store) insertTables(ctx context.Context, tx *sql.Tx, rows [][]any) error {
	if !s.d.Unnest {
		for t, args := range rows {
			if err := s.insertRows(ctx, tx, t, args); err != nil {
				return err
			}
		}
		return nil
	}
	query, arrays := s.unnestStatement(rows, false)
	if query == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, query, arrays...)
	return err
}

// unnestStatement returns insertTables' statement (Dialect.Unnest) and
// its arguments ("" if there are no rows). With alone, the statement
// starts by taking the writer lock and reading the highest rid and seq
// (Dialect.LockedIDs), adds them to the rows' numbers (which count from
// 1), and returns them (acceptAlone).
func (s *Store) unnestStatement(rows [][]any, alone bool) (string, []any) {
	var parts []string
	var arrays []any
	base := ""
	if alone {
		base = "l"
	}
	for t, args := range rows {
		if len(args) == 0 {
			continue
		}
		ins := s.accept[t]
		parts = append(parts, ins.unnestFrom(len(arrays), base))
		arrays = append(arrays, unnestArrays(ins.types, args)...)
	}
	if len(parts) == 0 {
		return "", nil
	}
	with := make([]string, 0, len(parts))
	if alone {
		with = append(with, `l AS MATERIALIZED (`+s.d.LockedIDs+`)`)
		parts = append(parts, `SELECT max_rid, max_seq FROM l`)
	}
	query := parts[len(parts)-1]
	for i, p := range parts[:len(parts)-1] {
		with = append(with, fmt.Sprintf("i%d AS (%s)", i, p))
	}
	if len(with) > 0 {
		query = `WITH ` + strings.Join(with, ", ") + ` ` + query
	}
	return query, arrays
}

// insertRows inserts rows into the table of s.accept[t] (args row
// after row) with multi-row VALUES of chunkRows rows, prepared when the
// store opens (every dialect but those using unnest, which insertTables
// serves).
func (s *Store) insertRows(ctx context.Context, tx *sql.Tx, t int, args []any) error {
	cols := len(s.accept[t].types)
	n := len(args) / cols
	if n == 0 {
		return nil
	}
	return s.chunked(t, n, func(st *sql.Stmt, from, k int) error {
		_, err := tx.StmtContext(ctx, st).ExecContext(ctx, args[from*cols:(from+k)*cols]...)
		return err
	}, s.inserts[t])
}

// chunked calls fn for the multi-row statements (of sts, prepared for
// s.chunks[t]) that insert n rows into the table of s.accept[t]: fn
// inserts rows [from, from+k) with st.
func (s *Store) chunked(t, n int, fn func(st *sql.Stmt, from, k int) error, sts []*sql.Stmt) error {
	sizes := s.chunks[t]
	for done, j := 0, 0; done < n; {
		for sizes[j] > n-done {
			j++ // the last size is 1, so this stops
		}
		if err := fn(sts[j], done, sizes[j]); err != nil {
			return err
		}
		done += sizes[j]
	}
	return nil
}

// recordsUpsert turns the records insert into the one of acceptWave's
// step 1, which skips the ids stored already. With Dialect.IDTerms no
// index tells, and createRecords has left those ids out already.
func (s *Store) recordsUpsert() string {
	if s.d.IDTerms {
		return ``
	}
	return ` ON CONFLICT (record_id) DO NOTHING`
}

// insertRecords inserts records rows (rid, record_id, head_seq; args row
// after row, rids consecutive) but those whose record_id is stored
// already, and returns the rids it inserted. Each statement's count of
// rows inserted tells whether all of its rows went in, as they nearly
// always do; only when some did not are its rids read back (asking the
// statement to return them cost as much as the lookups this saves).
func (s *Store) insertRecords(ctx context.Context, tx *sql.Tx, args []any) (map[int64]bool, error) {
	ins := s.accept[0]
	cols := len(ins.types)
	in := make(map[int64]bool, len(args)/cols)
	// inserted records the rows [from, from+k) of args, of which
	// affected went in.
	inserted := func(res sql.Result, from, k int) error {
		affected, err := res.RowsAffected()
		if err != nil {
			return err
		}
		first, last := args[from*cols].(int64), args[(from+k-1)*cols].(int64)
		if affected == int64(k) {
			for rid := first; rid <= last; rid++ {
				in[rid] = true
			}
			return nil
		}
		rows, err := tx.QueryContext(ctx, s.q(`SELECT rid FROM records WHERE rid BETWEEN ? AND ?`), first, last)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var rid int64
			if err := rows.Scan(&rid); err != nil {
				return err
			}
			in[rid] = true
		}
		return rows.Err()
	}
	n := len(args) / cols
	if s.d.Unnest {
		res, err := tx.ExecContext(ctx, ins.unnest()+s.recordsUpsert(), unnestArrays(ins.types, args)...)
		if err != nil {
			return nil, err
		}
		return in, inserted(res, 0, n)
	}
	return in, s.chunked(0, n, func(st *sql.Stmt, from, k int) error {
		res, err := tx.StmtContext(ctx, st).ExecContext(ctx, args[from*cols:(from+k)*cols]...)
		if err != nil {
			return err
		}
		return inserted(res, from, k)
	}, s.upserts)
}

// prepareInserts prepares the multi-row VALUES inserts insertRows runs
// (all dialects but those using unnest): s.inserts[t][j] inserts
// s.chunks[t][j] rows into the table of s.accept[t]. It must run
// before the first transaction: with SQLite's single connection, a
// statement cannot be prepared on the database while a transaction holds
// it.
func (s *Store) prepareInserts(ctx context.Context) error {
	if s.d.Unnest {
		return nil
	}
	if s.d.Terms {
		st, err := s.db.PrepareContext(ctx, termsInsert)
		if err != nil {
			return fmt.Errorf("sqlstore: prepare the terms insert: %w", err)
		}
		s.termsInsert = st
	}
	if s.d.IDTerms {
		st, err := s.db.PrepareContext(ctx, idsInsert)
		if err != nil {
			return fmt.Errorf("sqlstore: prepare the record ids insert: %w", err)
		}
		s.idsInsert = st
	}
	s.inserts = make([][]*sql.Stmt, len(s.accept))
	for t, ins := range s.accept {
		head := ins.head
		if s.d.InsertOrFail {
			head = strings.Replace(head, "INSERT INTO", "INSERT OR FAIL INTO", 1)
		}
		s.chunks = append(s.chunks, chunkRows(len(ins.types)))
		for _, k := range s.chunks[t] {
			st, err := s.db.PrepareContext(ctx, s.q(head+` VALUES `+placeholders(k, len(ins.types))))
			if err != nil {
				return fmt.Errorf("sqlstore: prepare %s: %w", ins.head, err)
			}
			s.inserts[t] = append(s.inserts[t], st)
			if t == 0 && s.recordsUpsert() == `` {
				s.upserts = append(s.upserts, st) // the same statement (Close is idempotent)
			} else if t == 0 {
				st, err := s.db.PrepareContext(ctx, s.q(head+` VALUES `+placeholders(k, len(ins.types))+s.recordsUpsert()))
				if err != nil {
					return fmt.Errorf("sqlstore: prepare %s: %w", ins.head, err)
				}
				s.upserts = append(s.upserts, st)
			}
		}
	}
	return nil
}

// unnest returns the insert as one statement over unnest() of one array
// parameter per column: INSERT INTO t (cols) SELECT c1, c2, ... FROM
// unnest($1::bigint[], $2::text[], ...) AS u(c1, c2, ...).
func (ins rowInsert) unnest() string { return ins.unnestFrom(0, "") }

// unnestFrom is unnest with the parameters numbered after the first
// from. With base set, the rid and seq columns (ins.ids) add its
// max_rid and max_seq: base names a relation of one row joined to the
// arrays.
func (ins rowInsert) unnestFrom(from int, base string) string {
	arrays := make([]string, len(ins.types))
	cols := make([]string, len(ins.types))
	sel := make([]string, len(ins.types))
	for c, t := range ins.types {
		arrays[c] = fmt.Sprintf("$%d::%s", from+c+1, pgArrayTypes[t])
		cols[c] = fmt.Sprintf("c%d", c+1)
		sel[c] = cols[c]
		if c < len(ins.exprs) && ins.exprs[c] != "" {
			sel[c] = ins.exprs[c]
		}
		if base != "" && c < len(ins.ids) {
			switch ins.ids[c] {
			case 'r':
				sel[c] += " + " + base + ".max_rid"
			case 's':
				sel[c] += " + " + base + ".max_seq"
			}
		}
	}
	q := ins.head + ` SELECT ` + strings.Join(sel, ", ") + ` FROM unnest(` + strings.Join(arrays, ", ") + `) AS u(` + strings.Join(cols, ", ") + `)`
	if base != "" {
		q += ` CROSS JOIN ` + base
	}
	return q
}

// unnestArrays turns rows of args into one array per column.
func unnestArrays(types []colType, args []any) []any {
	cols := len(types)
	n := len(args) / cols
	arrays := make([]any, cols)
	for c, t := range types {
		switch t {
		case colInt:
			a := make([]int64, n)
			for r := range n {
				switch v := args[r*cols+c].(type) {
				case int64:
					a[r] = v
				case int:
					a[r] = int64(v)
				}
			}
			arrays[c] = a
		case colText:
			a := make([]string, n)
			for r := range n {
				a[r] = args[r*cols+c].(string)
			}
			arrays[c] = a
		case colBytes:
			a := make([][]byte, n)
			for r := range n {
				a[r] = args[r*cols+c].([]byte)
			}
			arrays[c] = a
		}
	}
	return arrays
}

// placeholders returns "(?, ?), (?, ?)" for rows tuples of cols; with
// cols == 1 and a single list, "?, ?, ?".
func placeholders(rows, cols int) string {
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	if cols == 1 {
		return strings.TrimSuffix(strings.Repeat("?, ", rows), ", ")
	}
	return strings.TrimSuffix(strings.Repeat(tuple+", ", rows), ", ")
}
