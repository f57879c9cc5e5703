-- ledgergate store, version 12: record_codes is keyed (term, seq), one
-- text column compared bytewise instead of (kind, code, seq) compared by
-- the database's collation. A term is the one the version's codes column
-- holds (version 11): h and an escaped HS code, or c and an escaped
-- country code. The indexer inserts its rows sorted, without ON CONFLICT:
-- a pass copied about 5.5 µs of server CPU per code instead of 9
-- (sqlstore/codeindex.go; docs/performance.md, "Session 15"). The table
-- is rebuilt here in one sorted pass: 8 s for a million versions (five
-- million entries) on a 2-core host, during which the store accepts
-- nothing.
CREATE TABLE record_codes_v12 (
  seq  BIGINT NOT NULL,
  term TEXT COLLATE "C" NOT NULL
);
INSERT INTO record_codes_v12 (seq, term)
  SELECT seq, CASE kind WHEN 'hs' THEN 'h' ELSE 'c' END || code FROM record_codes ORDER BY 2, 1;
DROP TABLE record_codes;
ALTER TABLE record_codes_v12 RENAME TO record_codes;
ALTER TABLE record_codes ADD CONSTRAINT record_codes_pkey PRIMARY KEY (term, seq);
