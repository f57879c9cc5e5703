-- ledgergate store, version 5: accepting a record costs less.
-- A version row (2-3 KB with its canonical record) was compressed with
-- pglz because it passed the 2 KB TOAST threshold. Records are stored
-- whole up to a page instead.
ALTER TABLE versions SET (toast_tuple_target = 8160);
-- Foreign keys ran a trigger, an index probe and a row lock on the parent
-- for each of a record's rows (up to ten). The store assigns these keys
-- itself, under the writer lock, in the transaction that inserts both
-- sides, and never deletes a version; the store's integrity check
-- (sqlstore.Store.CheckIntegrity, run after every shared store test)
-- verifies the same relations on both databases. SQLite declares but does
-- not enforce them either.
ALTER TABLE versions DROP CONSTRAINT IF EXISTS versions_rid_fkey;
ALTER TABLE record_codes DROP CONSTRAINT IF EXISTS record_codes_seq_fkey;
ALTER TABLE deliveries DROP CONSTRAINT IF EXISTS deliveries_vseq_fkey;
