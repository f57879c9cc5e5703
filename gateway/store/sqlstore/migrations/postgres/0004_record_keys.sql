-- ledgergate store, version 4: records get a surrogate key (rid) assigned
-- in acceptance order, and the indexes that were keyed by the partner's
-- record id (a random UUID) are keyed by rid or by the version's seq
-- instead, so they grow at their right edge: only records(record_id)
-- stays random. See the SQLite migration of the same number.
CREATE TABLE records (
  rid       BIGSERIAL PRIMARY KEY,
  record_id TEXT   NOT NULL UNIQUE,
  head_seq  BIGINT NOT NULL
);
INSERT INTO records (record_id, head_seq)
  SELECT h.record_id, h.seq FROM heads h
  ORDER BY (SELECT MIN(v.seq) FROM versions v WHERE v.record_id = h.record_id);
CREATE INDEX records_head ON records(head_seq);
DROP TABLE heads;
ALTER TABLE versions ADD COLUMN rid BIGINT REFERENCES records(rid);
UPDATE versions v SET rid = r.rid FROM records r WHERE r.record_id = v.record_id;
ALTER TABLE versions ALTER COLUMN rid SET NOT NULL;
ALTER TABLE versions DROP CONSTRAINT versions_record_id_digest_key;
ALTER TABLE versions ADD CONSTRAINT versions_rid_digest_key UNIQUE (rid, digest);
ALTER TABLE deliveries ADD COLUMN vseq BIGINT REFERENCES versions(seq);
UPDATE deliveries d SET vseq = v.seq FROM versions v WHERE v.record_id = d.record_id AND v.digest = d.digest;
ALTER TABLE deliveries ALTER COLUMN vseq SET NOT NULL;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_pkey;
ALTER TABLE deliveries ADD PRIMARY KEY (vseq, ledger);
ALTER TABLE audit ADD COLUMN rid BIGINT NOT NULL DEFAULT 0;
UPDATE audit a SET rid = r.rid FROM records r WHERE r.record_id = a.record_id;
DROP INDEX audit_record;
CREATE INDEX audit_rid ON audit(rid, seq);
