-- ledgergate store, version 7: a version's index codes become one row of
-- an FTS5 table instead of one row of record_codes per code. Each
-- record_codes row went to the leaf its code chose, a page of its own for
-- real codes drawn from schedules of thousands, which every commit wrote
-- out whole; FTS5 writes a transaction's terms as one segment in term
-- order and merges segments later. The table keeps no content, positions
-- or column sizes: the row id is the version's seq, and the terms are
-- hex-encoded codes (see sqlstore/terms.go): h<code>, p<its 2-, 4- and
-- 6-digit prefixes> for HS codes, c<code> for country codes.
CREATE VIRTUAL TABLE record_terms USING fts5(terms, content='', detail=none, columnsize=0, tokenize='ascii');
INSERT INTO record_terms (rowid, terms)
  SELECT seq, group_concat(term, ' ') FROM (
    SELECT seq, 'h' || lower(hex(code)) AS term FROM record_codes WHERE kind = 'hs'
    UNION
    SELECT seq, 'p' || lower(hex(substr(CAST(code AS BLOB), 1, n.len))) FROM record_codes
      JOIN (SELECT 2 AS len UNION ALL SELECT 4 UNION ALL SELECT 6) n ON length(CAST(code AS BLOB)) > n.len
      WHERE kind = 'hs'
    UNION
    SELECT seq, 'c' || lower(hex(code)) FROM record_codes WHERE kind = 'country'
  ) GROUP BY seq;
DROP TABLE record_codes;
