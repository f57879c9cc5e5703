package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ledgergate/ledgergate/gateway/store"
)

// maxParams bounds the parameters of one statement (SQLite allows 32766,
// PostgreSQL 65535); longer multi-row inserts are split.
const maxParams = 30000

// acceptWave stores the requests live[i] for i in wave (distinct record
// ids) with a handful of multi-row statements, writing each request's
// outcome to resps[i]. SQLite (through modernc.org/sqlite) parses every
// statement it runs, so statements per batch, not per record, is what
// makes group commit pay.
func (s *Store) acceptWave(tx *sql.Tx, live []*acceptReq, wave []int, resps []acceptResp) error {
	ctx := context.Background()
	// 1. Current heads of the wave's ids.
	type head struct {
		rid int64
		v   store.Version
	}
	heads := map[string]head{}
	ids := make([]any, len(wave))
	for j, i := range wave {
		ids[j] = live[i].v.RecordID
	}
	rows, err := tx.QueryContext(ctx, s.q(`SELECT r.rid, `+versionCols+` FROM records r JOIN versions v ON v.seq = r.head_seq WHERE r.record_id IN (`+placeholders(len(ids), 1)+`)`), ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var h head
		v, err := scanVersion(rows, &h.rid)
		if err != nil {
			rows.Close()
			return err
		}
		h.v = v
		heads[v.RecordID] = h
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// 2. Decide each request.
	var insert, fresh []int // fresh: ids not stored yet
	for _, i := range wave {
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
			insert = append(insert, i)
			fresh = append(fresh, i)
		}
	}
	if len(insert) == 0 {
		return nil
	}
	// 3. Records for new ids: their rid, in acceptance order.
	rids := map[string]int64{}
	for id, h := range heads {
		rids[id] = h.rid
	}
	if len(fresh) > 0 {
		args := make([]any, 0, 2*len(fresh))
		for _, i := range fresh {
			args = append(args, live[i].v.RecordID, 0)
		}
		if err := s.returning(ctx, tx, `INSERT INTO records (record_id, head_seq)`, []colType{colText, colInt}, `RETURNING rid, record_id`, args, rids); err != nil {
			return err
		}
	}
	// 4. Versions, with their new sequence numbers.
	now := s.now()
	args := make([]any, 0, 11*len(insert))
	for _, i := range insert {
		v := live[i].v
		args = append(args, rids[v.RecordID], v.RecordID, string(v.Digest), v.Type, v.SchemaVersion, v.Issuer, v.Partner, string(v.Supersedes), v.Canonical, v.IssuedAt.UnixNano(), now.UnixNano())
	}
	seqs := map[string]int64{}
	if err := s.returning(ctx, tx, `INSERT INTO versions (rid, record_id, digest, type, schema_version, issuer, partner, supersedes, canonical, issued_at, accepted_at)`,
		[]colType{colInt, colText, colText, colText, colText, colText, colText, colText, colBytes, colInt, colInt}, `RETURNING seq, record_id`, args, seqs); err != nil {
		return err
	}
	// 5. Heads, index codes, deliveries, audit.
	var headArgs, codeArgs, delArgs, auditArgs []any
	var nCodes, nDels, nAudit int
	for _, i := range insert {
		r := live[i]
		v := r.v
		v.Seq, v.AcceptedAt = seqs[v.RecordID], now.UTC()
		rid := rids[v.RecordID]
		headArgs = append(headArgs, rid, v.RecordID, v.Seq)
		for kind, codes := range map[string][]string{"hs": v.HSCodes, "country": v.Countries} {
			for _, c := range dedupe(codes) {
				codeArgs = append(codeArgs, v.Seq, kind, c)
				nCodes++
			}
		}
		for _, d := range r.deliveries {
			policy, err := json.Marshal(d.Policy)
			if err != nil {
				return err
			}
			delArgs = append(delArgs, v.Seq, d.Ledger, v.RecordID, string(v.Digest), string(policy), store.StatePending, now.UnixNano(), now.UnixNano())
			nDels++
		}
		if a := r.audit; a.Action != "" {
			if a.Time.IsZero() {
				a.Time = now
			}
			auditArgs = append(auditArgs, a.Time.UnixNano(), a.Actor, a.Action, v.RecordID, rid, a.Detail)
			nAudit++
		}
		resps[i] = acceptResp{res: store.AcceptResult{Version: v}}
	}
	stmts := []struct {
		head  string
		types []colType
		tail  string
		args  []any
	}{
		{`INSERT INTO records (rid, record_id, head_seq)`, []colType{colInt, colText, colInt}, `ON CONFLICT (rid) DO UPDATE SET head_seq = excluded.head_seq`, headArgs},
		{`INSERT INTO record_codes (seq, kind, code)`, []colType{colInt, colText, colText}, ``, codeArgs},
		{`INSERT INTO deliveries (vseq, ledger, record_id, digest, policy, state, next_at, updated_at)`, []colType{colInt, colText, colText, colText, colText, colText, colInt, colInt}, ``, delArgs},
		{`INSERT INTO audit (time, actor, action, record_id, rid, detail)`, []colType{colInt, colText, colText, colText, colInt, colText}, ``, auditArgs},
	}
	for _, st := range stmts {
		for _, c := range s.bulk(st.head, st.types, st.tail, st.args) {
			if _, err := tx.ExecContext(ctx, c.query, c.args...); err != nil {
				return err
			}
		}
	}
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

// chunk is one statement of a bulk insert and its arguments.
type chunk struct {
	query string
	args  []any
}

// bulk turns a multi-row insert (head: "INSERT INTO t (cols)"; tail: ON
// CONFLICT or RETURNING; args row after row) into statements. SQLite gets
// multi-row VALUES, split to stay under maxParams. PostgreSQL gets one
// statement over unnest() of one array per column: a constant text (so
// pgx prepares it once) with as many parameters as columns, where VALUES
// would make the server parse and plan every row.
func (s *Store) bulk(head string, types []colType, tail string, args []any) []chunk {
	cols := len(types)
	n := len(args) / cols
	if n == 0 {
		return nil
	}
	if s.d.Unnest {
		arrays := make([]any, cols)
		sel := make([]string, cols)
		for c, t := range types {
			sel[c] = fmt.Sprintf("$%d::%s", c+1, pgArrayTypes[t])
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
		return []chunk{{query: head + ` SELECT * FROM unnest(` + strings.Join(sel, ", ") + `) ` + tail, args: arrays}}
	}
	var out []chunk
	per := maxParams / cols
	for start := 0; start < n; start += per {
		k := min(per, n-start)
		out = append(out, chunk{query: s.q(head + ` VALUES ` + placeholders(k, cols) + ` ` + tail), args: args[start*cols : (start+k)*cols]})
	}
	return out
}

// returning runs a bulk INSERT ... RETURNING <int64>, <record id> and
// collects the answers into into.
func (s *Store) returning(ctx context.Context, tx *sql.Tx, head string, types []colType, tail string, args []any, into map[string]int64) error {
	for _, c := range s.bulk(head, types, tail, args) {
		rows, err := tx.QueryContext(ctx, c.query, c.args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var num int64
			var id string
			if err := rows.Scan(&num, &id); err != nil {
				rows.Close()
				return err
			}
			into[id] = num
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
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
