-- ledgergate store, version 11: index codes are copied into record_codes
-- after the accept, in transactions of their own, instead of inside it
-- (sqlstore/codeindex.go). The accept writes a version's codes into its
-- row: versions.codes, terms h<HS code> and c<country code>, each code
-- cut to 1024 bytes with spaces, '%' and NUL escaped as %20, %25 and
-- %00. code_index.indexed_through is the last version whose codes are in
-- record_codes; every version stored so far is.
ALTER TABLE versions ADD COLUMN codes TEXT[];
CREATE TABLE code_index (
  one             BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
  indexed_through BIGINT  NOT NULL
);
INSERT INTO code_index (indexed_through) SELECT COALESCE(MAX(seq), 0) FROM versions;
-- record_codes holds the codes escaped from now on, as list filters look
-- them up.
UPDATE record_codes SET code = replace(replace(code, '%', '%25'), ' ', '%20') WHERE strpos(code, '%') > 0 OR strpos(code, ' ') > 0;
