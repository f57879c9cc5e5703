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
		if err := s.returning(ctx, tx, `INSERT INTO records (record_id, head_seq) VALUES %s RETURNING rid, record_id`, 2, args, rids); err != nil {
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
	if err := s.returning(ctx, tx, `INSERT INTO versions (rid, record_id, digest, type, schema_version, issuer, partner, supersedes, canonical, issued_at, accepted_at) VALUES %s RETURNING seq, record_id`, 11, args, seqs); err != nil {
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
		sql  string
		n    int
		cols int
		args []any
	}{
		{`INSERT INTO records (rid, record_id, head_seq) VALUES %s ON CONFLICT (rid) DO UPDATE SET head_seq = excluded.head_seq`, len(insert), 3, headArgs},
		{`INSERT INTO record_codes (seq, kind, code) VALUES %s`, nCodes, 3, codeArgs},
		{`INSERT INTO deliveries (vseq, ledger, record_id, digest, policy, state, next_at, updated_at) VALUES %s`, nDels, 8, delArgs},
		{`INSERT INTO audit (time, actor, action, record_id, rid, detail) VALUES %s`, nAudit, 6, auditArgs},
	}
	for _, st := range stmts {
		per := maxParams / st.cols
		for start := 0; start < st.n; start += per {
			n := min(per, st.n-start)
			args := st.args[start*st.cols : (start+n)*st.cols]
			if _, err := tx.ExecContext(ctx, s.q(fmt.Sprintf(st.sql, placeholders(n, st.cols))), args...); err != nil {
				return err
			}
		}
	}
	return nil
}

// returning runs a multi-row INSERT ... RETURNING <int64>, <record id>
// (split to stay under maxParams) and collects the answers into into.
func (s *Store) returning(ctx context.Context, tx *sql.Tx, query string, cols int, args []any, into map[string]int64) error {
	n := len(args) / cols
	per := maxParams / cols
	for start := 0; start < n; start += per {
		k := min(per, n-start)
		rows, err := tx.QueryContext(ctx, s.q(fmt.Sprintf(query, placeholders(k, cols))), args[start*cols:(start+k)*cols]...)
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
