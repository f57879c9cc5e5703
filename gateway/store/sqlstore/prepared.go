package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// Prepared statements for the hot small queries: the relay's reads and
// writes. modernc.org/sqlite caches no statements, so a query run by its
// text is parsed and planned on every call; for the relay's single-row
// updates and version reads that was half their cost, and in the single
// writer's grouped transactions it limited a relay to about 2,800
// deliveries a second. Statements are prepared when the store opens,
// before the first transaction (SQLite's writing connection cannot
// prepare on the database while a transaction holds it): writes on db, to
// be bound to a transaction with Tx.StmtContext, reads on the reader pool.

// preparedQuery names a statement: its text (in ? placeholders) and
// whether it reads outside a transaction (on the reader pool).
type preparedQuery struct {
	text string
	read bool
}

// prepared are the store's prepared statements, by their text as given to
// prepareAll (before Rebind).
type prepared map[string]*sql.Stmt

// prepareAll prepares every query of qs.
func (s *Store) prepareAll(ctx context.Context, qs []preparedQuery) error {
	s.stmts = prepared{}
	for _, q := range qs {
		db := s.db
		if q.read {
			db = s.r
		}
		st, err := db.PrepareContext(ctx, s.q(q.text))
		if err != nil {
			return fmt.Errorf("sqlstore: prepare %q: %w", q.text, err)
		}
		s.stmts[q.text] = st
	}
	return nil
}

// stmt returns the prepared statement of text (one of preparedQueries),
// bound to tx when tx is not nil.
func (s *Store) stmt(ctx context.Context, tx *sql.Tx, text string) *sql.Stmt {
	st, ok := s.stmts[text]
	if !ok {
		panic("sqlstore: statement not prepared: " + text)
	}
	if tx != nil {
		return tx.StmtContext(ctx, st)
	}
	return st
}

func (p prepared) close() {
	for _, st := range p {
		st.Close()
	}
}
