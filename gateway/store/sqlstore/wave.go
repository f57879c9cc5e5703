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
	heads := map[string]store.Version{}
	ids := make([]any, len(wave))
	for j, i := range wave {
		ids[j] = live[i].v.RecordID
	}
	rows, err := tx.QueryContext(ctx, s.q(`SELECT `+versionCols+` FROM heads h JOIN versions v ON v.seq = h.seq WHERE h.record_id IN (`+placeholders(len(ids), 1)+`)`), ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			rows.Close()
			return err
		}
		heads[v.RecordID] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// 2. Decide each request.
	var insert []int
	for _, i := range wave {
		v := live[i].v
		head, ok := heads[v.RecordID]
		switch {
		case ok && head.Digest == v.Digest:
			resps[i] = acceptResp{res: store.AcceptResult{Version: head, Existing: true}}
		case ok:
			old, err := scanVersion(tx.QueryRowContext(ctx, s.q(`SELECT `+versionCols+` FROM versions v WHERE v.record_id = ? AND v.digest = ?`), v.RecordID, string(v.Digest)))
			switch {
			case err == nil:
				resps[i] = acceptResp{res: store.AcceptResult{Version: old, Existing: true}}
			case !errors.Is(err, sql.ErrNoRows):
				return err
			case v.Supersedes != head.Digest:
				resps[i] = acceptResp{err: fmt.Errorf("record %s is stored with digest %s; a new version must supersede it (supersedes is %q): %w", v.RecordID, head.Digest, v.Supersedes, store.ErrConflict)}
			default:
				insert = append(insert, i)
			}
		case v.Supersedes != "":
			resps[i] = acceptResp{err: fmt.Errorf("record %s supersedes %s, but no version of it is stored: %w", v.RecordID, v.Supersedes, store.ErrConflict)}
		default:
			insert = append(insert, i)
		}
	}
	if len(insert) == 0 {
		return nil
	}
	// 3. Versions, with their new sequence numbers.
	now := s.now()
	var args []any
	for _, i := range insert {
		v := live[i].v
		args = append(args, v.RecordID, string(v.Digest), v.Type, v.SchemaVersion, v.Issuer, v.Partner, string(v.Supersedes), v.Canonical, v.IssuedAt.UnixNano(), now.UnixNano())
	}
	rows, err = tx.QueryContext(ctx, s.q(`INSERT INTO versions (record_id, digest, type, schema_version, issuer, partner, supersedes, canonical, issued_at, accepted_at) VALUES `+
		placeholders(len(insert), 10)+` RETURNING seq, record_id`), args...)
	if err != nil {
		return err
	}
	seqs := map[string]int64{}
	for rows.Next() {
		var seq int64
		var id string
		if err := rows.Scan(&seq, &id); err != nil {
			rows.Close()
			return err
		}
		seqs[id] = seq
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// 4. Heads, index codes, deliveries, audit.
	var headArgs, codeArgs, delArgs, auditArgs []any
	var nCodes, nDels, nAudit int
	for _, i := range insert {
		r := live[i]
		v := r.v
		v.Seq, v.AcceptedAt = seqs[v.RecordID], now.UTC()
		headArgs = append(headArgs, v.RecordID, v.Seq)
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
			delArgs = append(delArgs, v.RecordID, string(v.Digest), d.Ledger, string(policy), store.StatePending, now.UnixNano(), now.UnixNano())
			nDels++
		}
		if a := r.audit; a.Action != "" {
			if a.Time.IsZero() {
				a.Time = now
			}
			auditArgs = append(auditArgs, a.Time.UnixNano(), a.Actor, a.Action, v.RecordID, a.Detail)
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
		{`INSERT INTO heads (record_id, seq) VALUES %s ON CONFLICT (record_id) DO UPDATE SET seq = excluded.seq`, len(insert), 2, headArgs},
		{`INSERT INTO record_codes (seq, kind, code) VALUES %s`, nCodes, 3, codeArgs},
		{`INSERT INTO deliveries (record_id, digest, ledger, policy, state, next_at, updated_at) VALUES %s`, nDels, 7, delArgs},
		{`INSERT INTO audit (time, actor, action, record_id, detail) VALUES %s`, nAudit, 5, auditArgs},
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

// placeholders returns "(?, ?), (?, ?)" for rows tuples of cols; with
// cols == 1 and a single list, "?, ?, ?".
func placeholders(rows, cols int) string {
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	if cols == 1 {
		return strings.TrimSuffix(strings.Repeat("?, ", rows), ", ")
	}
	return strings.TrimSuffix(strings.Repeat(tuple+", ", rows), ", ")
}
