-- ledgergate store, version 14: the writer lock and the numbers an
-- accept assigns after, in one call (sqlstore.Dialect.LockedIDs). The
-- function takes the accept lock, then reads the highest record and
-- version numbers stored: as a VOLATILE function it takes a new snapshot
-- for each statement, so those reads see every accept committed before
-- the lock was granted, however long it waited. One round trip instead of
-- two, and a batch of new records is one autocommitted statement: the
-- lock, the numbers and the inserts (sqlstore.Store.acceptAlone).
CREATE FUNCTION ledgergate_accept_lock(k BIGINT, OUT max_rid BIGINT, OUT max_seq BIGINT)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(k);
  SELECT COALESCE(MAX(r.rid), 0) INTO max_rid FROM records r;
  SELECT COALESCE(MAX(v.seq), 0) INTO max_seq FROM versions v;
END
$$;
