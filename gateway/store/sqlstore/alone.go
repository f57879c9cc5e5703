package sqlstore

import "context"

// acceptAlone stores a batch of new records with one autocommitted
// statement (Dialect.LockedIDs, Dialect.Unnest): the writer lock, the
// highest numbers stored, read once the lock is held, and the inserts of
// every table, numbered from those, in one round trip. In a transaction
// the same batch took five (begin, the lock and numbers, the inserts,
// commit), each of which on a busy host also waits for the writer's
// goroutine and the database's process to be run again.
//
// It applies when every request is an accept of a record id the batch
// names once and that supersedes nothing, as nearly all are, and
// reports whether it stored the batch, writing each request's outcome
// to resps. When one of the ids is stored already the unique index
// fails the statement, which undoes all of it; then, as after
// acceptWave's records-with-the-wave statement fails, the next
// recordsApartBatches batches go the transaction's way, which finds the
// stored ids, and so does this one.
func (s *Store) acceptAlone(live []*acceptReq, resps []acceptResp) bool {
	if s.d.LockedIDs == "" || !s.d.Unnest || s.d.Terms || s.d.IDTerms || s.recordsApart > 0 {
		return false
	}
	seen := make(map[string]bool, len(live))
	for _, r := range live {
		if r.write != nil || r.v.Supersedes != "" || seen[r.v.RecordID] {
			return false
		}
		seen[r.v.RecordID] = true
	}
	// Numbers from 1, to which the statement adds the highest stored.
	ids := idAlloc{loaded: true}
	insert := make([]int, len(live))
	for i := range insert {
		insert[i] = i
	}
	records, created := ids.newRecords(live, insert)
	rids := make(map[string]int64, len(live))
	for i, r := range live {
		rids[r.v.RecordID] = created[i].rid
	}
	rows, _, _ := s.waveRows(live, insert, created, rids, &ids, resps)
	rows[0] = append(records, rows[0]...)
	query, args := s.unnestStatement(rows, true)
	var maxRID, maxSeq int64
	if err := s.db.QueryRowContext(context.Background(), query, args...).Scan(&maxRID, &maxSeq); err != nil {
		s.recordsApart = recordsApartBatches
		clear(resps)
		return false
	}
	for i := range resps {
		resps[i].res.Version.Seq += maxSeq
	}
	s.writer.alone.Add(1)
	return true
}
