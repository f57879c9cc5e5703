package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Index codes indexed after the accept (Dialect.DeferredCodes,
// PostgreSQL since store version 11).
//
// The list filters find versions by their HS and country codes in
// record_codes, a B-tree keyed (term, seq) (store version 12; before it,
// (kind, code, seq)). Each accepted version adds about five entries, each
// on a leaf chosen by its code; inserted in the accepting transaction
// they were a quarter of its time, and the accepting transactions are
// serial (the writer lock). So the accept writes the terms into the
// version's own row instead (versions.codes, a text[], no index), and an
// indexer copies them into record_codes in transactions of its own,
// beside the accepts: one INSERT ... SELECT per pass, from the versions
// after the watermark code_index.indexed_through up to the last
// committed, which it then advances in the same transaction.
//
// A pass inserts its rows without ON CONFLICT, whose check descended
// the tree a second time for every entry, into a key of one bytewise
// term: 9 µs of server CPU per entry became about 4.5
// (docs/performance.md, "Session 15"). It sorts them by key for
// DISTINCT (sorting itself did not gain). Nothing conflicts: a pass copies only versions after the
// watermark, whose entries no pass has written, and DISTINCT drops a term
// a version repeats. Should the table hold an entry it should not (a
// damaged database), the pass's retry inserts ON CONFLICT DO NOTHING
// instead of failing for ever.
//
// A list filter reads both, in one statement split at the watermark the
// store last saw (records.go): record_codes for the versions up to it,
// and the codes column for the few after it (read in seq order from it
// on). The watermark only grows and the versions up to it stay indexed,
// so a stale one costs a longer second part, never a version found twice
// or missed; a record is listed by its codes as soon as it is accepted.
// Versions become visible in seq order (the writer lock is held to
// commit), so the versions after a watermark are always a contiguous
// range.
//
// Terms: h and an HS code, or c and a country code, each code cut to at
// most maxCodeBytes at a character boundary (a B-tree entry must fit a
// third of a page), with spaces, '%' and NUL escaped as %20, %25 and
// %00 (the terms of a version travel as one text, separated by spaces,
// and PostgreSQL text cannot hold NUL). The escape maps each byte on its
// own, so a code starts with a prefix exactly when its escaped form
// starts with the escaped prefix. record_codes compares terms bytewise
// (COLLATE "C"), so the terms of one kind and prefix are one key range.

// maxCodeBytes bounds the part of a code that is indexed.
const maxCodeBytes = 1024

// codeTerms returns the distinct terms of a version's codes separated
// by spaces; "" when it has none. Empty codes have none; two codes may
// share a term (cut to the same first maxCodeBytes): it is listed once.
func codeTerms(hs, countries []string) string {
	terms := make([]string, 0, len(hs)+len(countries))
	add := func(kind string, codes []string) {
		for _, c := range codes {
			if c != "" {
				terms = append(terms, kind+escapeCode(c))
			}
		}
	}
	add("h", hs)
	add("c", countries)
	return strings.Join(dedupe(terms), " ")
}

// escapeCode returns code cut to maxCodeBytes at a character boundary,
// with spaces, '%' and NUL escaped.
func escapeCode(code string) string {
	if len(code) > maxCodeBytes {
		n := maxCodeBytes
		for n > 0 && !utf8.RuneStart(code[n]) {
			n--
		}
		code = code[:n]
	}
	return codeEscaper.Replace(code)
}

// codeEscaper escapes each byte on its own (a code without any of them
// comes back as it is, unallocated).
var codeEscaper = strings.NewReplacer(" ", "%20", "%", "%25", "\x00", "%00")

// indexCodesChunk bounds the versions one indexer pass copies.
const indexCodesChunk = 20_000

// codeIndexer runs the indexer passes of a store with
// Dialect.DeferredCodes: after accepts (due), at most every
// codeIndexGap, and every codeIndexInterval.
type codeIndexer struct {
	due    chan struct{}
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
	failed bool // the last pass failed (logged once until one succeeds)
}

// codeIndexInterval is how often the indexer looks for versions other
// instances sharing the database accepted (or that a failed pass left).
const codeIndexInterval = time.Second

// codeIndexGap is the least time between the indexer's passes (but those
// that find a full chunk waiting). Under full load a pass after each
// accepting commit copied about 1,000 versions; passes of up to 250 ms of
// accepts (5,000 versions at 20,000 a second) pay a pass's fixed costs
// (its transaction, the watermark's reads and update, the statement's
// planning) less often: PostgreSQL's batched ingest +7% on the mean of
// eight alternating rounds (docs/performance.md, "Session 15"). Lists
// read the versions not indexed yet from their rows, so at that rate a
// filtered page reads up to a quarter second's versions more; under
// lighter load the passes cover fewer.
const codeIndexGap = 250 * time.Millisecond

func (s *Store) startCodeIndexer() {
	ix := &codeIndexer{due: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	s.indexer = ix
	go func() {
		defer close(ix.done)
		tick := time.NewTicker(codeIndexInterval)
		defer tick.Stop()
		for {
			select {
			case <-ix.stop:
				return
			case <-ix.due:
			case <-tick.C:
			}
			for {
				n, err := s.IndexCodes(context.Background())
				if err != nil {
					if !ix.failed {
						slog.Warn("store: indexing codes failed; list filters read the versions not yet indexed from their rows until a pass succeeds", "err", err)
					}
					ix.failed = true
					break
				}
				ix.failed = false
				if n < indexCodesChunk {
					break
				}
			}
			select {
			case <-ix.stop:
				return
			case <-time.After(codeIndexGap):
			}
		}
	}()
}

// codesDue tells the indexer that versions were accepted.
func (s *Store) codesDue() {
	if s.indexer == nil {
		return
	}
	select {
	case s.indexer.due <- struct{}{}:
	default:
	}
}

func (s *Store) stopCodeIndexer() {
	if s.indexer == nil {
		return
	}
	s.indexer.once.Do(func() { close(s.indexer.stop) })
	<-s.indexer.done
}

// loadCodesIndexed reads the indexer's watermark into s.codesIndexed.
func (s *Store) loadCodesIndexed(ctx context.Context) error {
	var w int64
	if err := s.db.QueryRowContext(ctx, `SELECT indexed_through FROM code_index`).Scan(&w); err != nil {
		return fmt.Errorf("sqlstore: code index watermark: %w", err)
	}
	s.seenCodesIndexed(w)
	return nil
}

// seenCodesIndexed records a watermark read or written (it only grows).
func (s *Store) seenCodesIndexed(w int64) {
	for {
		old := s.codesIndexed.Load()
		if w <= old || s.codesIndexed.CompareAndSwap(old, w) {
			return
		}
	}
}

// CodesToIndex returns how many of the versions this store accepted
// have codes the indexer had not copied into record_codes when the store
// last saw its watermark (lists read those from their rows meanwhile),
// and whether the store defers index codes at all (Dialect.DeferredCodes).
func (s *Store) CodesToIndex() (n int64, deferred bool) {
	if !s.d.DeferredCodes {
		return 0, false
	}
	return max(0, s.lastSeq.Load()-s.codesIndexed.Load()), true
}

// IndexCodes copies the index codes of up to indexCodesChunk versions
// accepted since the last pass into record_codes and returns how many
// versions it covered (Dialect.DeferredCodes; else it does nothing). A
// store runs it in the background after accepts and every second; an
// operator or a test may run it too. Passes of instances sharing the
// database take turns: one that finds another under way returns 0 (and
// reads the watermark the others have reached).
func (s *Store) IndexCodes(ctx context.Context) (int64, error) {
	if !s.d.DeferredCodes {
		return 0, nil
	}
	var n, through int64
	busy, attempts := false, 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		n, through, busy = 0, 0, false
		attempts++
		var from int64
		err := tx.QueryRowContext(ctx, `SELECT indexed_through FROM code_index FOR UPDATE SKIP LOCKED`).Scan(&from)
		if errors.Is(err, sql.ErrNoRows) {
			busy = true // another pass holds it
			return nil
		}
		if err != nil {
			return err
		}
		through = from
		// Versions commit in seq order, so everything up to the highest
		// committed is there to copy.
		var last int64
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COALESCE(MAX(seq), 0) FROM versions WHERE seq > ?`), from).Scan(&last); err != nil {
			return err
		}
		if last <= from {
			return nil
		}
		to := min(last, from+indexCodesChunk)
		// A retry (the first attempt failed, perhaps on an entry the
		// table should not hold) skips the entries it holds already.
		conflict := ``
		if attempts > 1 {
			conflict = ` ON CONFLICT DO NOTHING`
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO record_codes (seq, term)
			SELECT DISTINCT v.seq, t FROM versions v CROSS JOIN LATERAL unnest(v.codes) AS t
			WHERE v.seq > ? AND v.seq <= ?
			ORDER BY t, v.seq`+conflict), from, to); err != nil {
			return fmt.Errorf("copy the codes of versions %d to %d: %w", from+1, to, err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE code_index SET indexed_through = ?`), to); err != nil {
			return err
		}
		n, through = to-from, to
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: index codes: %w", err)
	}
	if busy {
		return 0, s.loadCodesIndexed(ctx)
	}
	s.seenCodesIndexed(through)
	return n, nil
}

// deferredCodesFilter returns the list conditions (and their arguments)
// of an HS prefix and a country code (either possibly empty) on the
// versions indexed in record_codes and on those after the watermark.
func deferredCodesFilter(hsPrefix, country string) (indexed string, indexedArgs []any, tail string, tailArgs []any) {
	var in, tl []string
	if hsPrefix != "" {
		// A term starts with "h" and the escaped prefix exactly when its
		// HS code starts with the prefix. The range lets the key (term,
		// seq) find the terms (bytewise: prefixEnd of a term never is ""
		// as it starts with a letter); LIKE keeps the match exact and the
		// planner's row estimate right (a prefix is digits only, no LIKE
		// wildcard).
		p := "h" + escapeCode(hsPrefix)
		in = append(in, `EXISTS (SELECT 1 FROM record_codes c WHERE c.seq = v.seq AND c.term >= ? AND c.term < ? AND c.term LIKE ?)`)
		indexedArgs = append(indexedArgs, p, prefixEnd(p), p+"%")
		tl = append(tl, `EXISTS (SELECT 1 FROM unnest(v.codes) AS t WHERE starts_with(t, ?))`)
		tailArgs = append(tailArgs, p)
	}
	if country != "" {
		c := "c" + escapeCode(country)
		in = append(in, `EXISTS (SELECT 1 FROM record_codes c WHERE c.seq = v.seq AND c.term = ?)`)
		indexedArgs = append(indexedArgs, c)
		tl = append(tl, `? = ANY(v.codes)`)
		tailArgs = append(tailArgs, c)
	}
	return strings.Join(in, " AND "), indexedArgs, strings.Join(tl, " AND "), tailArgs
}
