-- record_codes_keys.sql: the cost of inserting index entries under the
-- keys and insert forms docs/performance.md compares ("Session 15", the
-- indexer). Run with
--   psql -h 127.0.0.1 -U postgres -d test -q -f scripts/bench/record_codes_keys.sql
-- It builds a scratch schema of 300,000 versions of five distinct terms
-- each (two ten-digit and one six-digit HS code from tariff-sized pools,
-- two countries), loads the first 150,000 versions' entries into each
-- table, then times passes of 6,000 versions (about 24,000 entries),
-- three rounds of the six forms in turn, and drops the schema. The
-- "Time:" lines come in the order of the forms below, round by round.
DROP SCHEMA IF EXISTS ledgergate_keys_bench CASCADE;
CREATE SCHEMA ledgergate_keys_bench;
SET search_path = ledgergate_keys_bench;
CREATE TABLE v (seq BIGINT PRIMARY KEY, codes TEXT[]);
INSERT INTO v SELECT g, ARRAY(SELECT DISTINCT unnest(ARRAY[
  'h' || (1000000000 + (random() * 19000)::int)::text,
  'h' || (1000000000 + (random() * 19000)::int)::text,
  'h' || (100000 + (random() * 5600)::int)::text,
  'c' || chr(65 + (random() * 20)::int) || chr(65 + (random() * 20)::int),
  'c' || chr(65 + (random() * 20)::int) || chr(65 + (random() * 20)::int)]))
  FROM generate_series(1, 300000) g;
VACUUM ANALYZE v;
-- store version 11's key, compared by the database's collation
CREATE TABLE kc (seq BIGINT, kind TEXT, code TEXT, PRIMARY KEY (kind, code, seq));
-- store version 12's key
CREATE TABLE tc (seq BIGINT, term TEXT COLLATE "C", PRIMARY KEY (term, seq));
-- the same by the database's collation
CREATE TABLE td (seq BIGINT, term TEXT, PRIMARY KEY (term, seq));
INSERT INTO kc SELECT v.seq, CASE left(t, 1) WHEN 'h' THEN 'hs' ELSE 'country' END, substr(t, 2) FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq <= 150000;
INSERT INTO tc SELECT v.seq, t FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq <= 150000;
INSERT INTO td SELECT seq, term FROM tc;
CHECKPOINT;
\timing on
-- round 1
-- (kind, code, seq), ON CONFLICT DO NOTHING (store version 11)
INSERT INTO kc SELECT v.seq, CASE left(t, 1) WHEN 'h' THEN 'hs' ELSE 'country' END, substr(t, 2) FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq > 150000 AND v.seq <= 156000 ON CONFLICT DO NOTHING;
-- (kind, code, seq), plain
INSERT INTO kc SELECT v.seq, CASE left(t, 1) WHEN 'h' THEN 'hs' ELSE 'country' END, substr(t, 2) FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq > 156000 AND v.seq <= 162000;
-- (kind, code, seq), plain, sorted
INSERT INTO kc SELECT v.seq, CASE left(t, 1) WHEN 'h' THEN 'hs' ELSE 'country' END, substr(t, 2) FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq > 162000 AND v.seq <= 168000 ORDER BY 2, 3, 1;
-- (term, seq) COLLATE "C", plain
INSERT INTO tc SELECT v.seq, t FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq > 168000 AND v.seq <= 174000;
-- (term, seq) COLLATE "C", plain, sorted, DISTINCT (store version 12's pass)
INSERT INTO tc (seq, term) SELECT DISTINCT v.seq, t FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq > 174000 AND v.seq <= 180000 ORDER BY t, v.seq;
-- (term, seq), database collation, plain, sorted
INSERT INTO td SELECT v.seq, t FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq > 180000 AND v.seq <= 186000 ORDER BY t, v.seq;
-- round 2
-- (kind, code, seq), ON CONFLICT DO NOTHING (store version 11)
INSERT INTO kc SELECT v.seq, CASE left(t, 1) WHEN 'h' THEN 'hs' ELSE 'country' END, substr(t, 2) FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq > 186000 AND v.seq <= 192000 ON CONFLICT DO NOTHING;
-- (kind, code, seq), plain
INSERT INTO kc SELECT v.seq, CASE left(t, 1) WHEN 'h' THEN 'hs' ELSE 'country' END, substr(t, 2) FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq > 192000 AND v.seq <= 198000;
-- (kind, code, seq), plain, sorted
INSERT INTO kc SELECT v.seq, CASE left(t, 1) WHEN 'h' THEN 'hs' ELSE 'country' END, substr(t, 2) FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq > 198000 AND v.seq <= 204000 ORDER BY 2, 3, 1;
-- (term, seq) COLLATE "C", plain
INSERT INTO tc SELECT v.seq, t FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq > 204000 AND v.seq <= 210000;
-- (term, seq) COLLATE "C", plain, sorted, DISTINCT (store version 12's pass)
INSERT INTO tc (seq, term) SELECT DISTINCT v.seq, t FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq > 210000 AND v.seq <= 216000 ORDER BY t, v.seq;
-- (term, seq), database collation, plain, sorted
INSERT INTO td SELECT v.seq, t FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq > 216000 AND v.seq <= 222000 ORDER BY t, v.seq;
-- round 3
-- (kind, code, seq), ON CONFLICT DO NOTHING (store version 11)
INSERT INTO kc SELECT v.seq, CASE left(t, 1) WHEN 'h' THEN 'hs' ELSE 'country' END, substr(t, 2) FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq > 222000 AND v.seq <= 228000 ON CONFLICT DO NOTHING;
-- (kind, code, seq), plain
INSERT INTO kc SELECT v.seq, CASE left(t, 1) WHEN 'h' THEN 'hs' ELSE 'country' END, substr(t, 2) FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq > 228000 AND v.seq <= 234000;
-- (kind, code, seq), plain, sorted
INSERT INTO kc SELECT v.seq, CASE left(t, 1) WHEN 'h' THEN 'hs' ELSE 'country' END, substr(t, 2) FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq > 234000 AND v.seq <= 240000 ORDER BY 2, 3, 1;
-- (term, seq) COLLATE "C", plain
INSERT INTO tc SELECT v.seq, t FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq > 240000 AND v.seq <= 246000;
-- (term, seq) COLLATE "C", plain, sorted, DISTINCT (store version 12's pass)
INSERT INTO tc (seq, term) SELECT DISTINCT v.seq, t FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq > 246000 AND v.seq <= 252000 ORDER BY t, v.seq;
-- (term, seq), database collation, plain, sorted
INSERT INTO td SELECT v.seq, t FROM v CROSS JOIN LATERAL unnest(v.codes) t WHERE v.seq > 252000 AND v.seq <= 258000 ORDER BY t, v.seq;
\timing off
DROP SCHEMA ledgergate_keys_bench CASCADE;
