-- ledgergate store, version 10: no change on PostgreSQL. SQLite moved its
-- record-id index into an FTS5 table (see the sqlite migration); the
-- B-tree index stays here, where gateway instances share the database
-- and its unique constraint keeps ids unique between them.
SELECT 1;
