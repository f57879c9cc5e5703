-- ledgergate store, version 10: record ids are indexed in an FTS5 table
-- instead of a unique B-tree index on records. Random ids (UUIDv4) put
-- each new record's index entry on a leaf of its own, which every commit
-- wrote out whole; FTS5 writes a transaction's ids as one segment in
-- order and merges segments later. The row id is the record's rid, the
-- one term i and its id in hex (see sqlstore/ids.go). Uniqueness is the
-- store's to keep: its writer looks ids up before inserting them, and no
-- other process may write the database.
CREATE VIRTUAL TABLE record_ids USING fts5(id, content='', detail=none, columnsize=0, tokenize='ascii');
INSERT INTO record_ids (rowid, id) SELECT rid, 'i' || hex(record_id) FROM records;
CREATE TABLE records_v10 (
  rid       INTEGER PRIMARY KEY AUTOINCREMENT,
  record_id TEXT    NOT NULL,
  head_seq  INTEGER NOT NULL
);
INSERT INTO records_v10 (rid, record_id, head_seq) SELECT rid, record_id, head_seq FROM records;
DROP TABLE records;
ALTER TABLE records_v10 RENAME TO records;
