-- ledgergate store, version 4: records get a surrogate key (rid) assigned
-- in acceptance order, and the tables that were keyed by the partner's
-- record id (a random UUID) are keyed by rid or by the version's seq
-- instead. A random key puts every new row on its own B-tree page, which
-- each commit then writes out whole: with four such trees per record that
-- was most of the cost of accepting one. Now only records(record_id) is
-- random. The tables are rebuilt (SQLite cannot change a primary key or a
-- table constraint in place): children of versions are dropped before it,
-- and renaming the new tables rewrites the foreign keys that name them.
CREATE TABLE records (
  rid       INTEGER PRIMARY KEY AUTOINCREMENT,
  record_id TEXT    NOT NULL UNIQUE,
  head_seq  INTEGER NOT NULL
);
INSERT INTO records (record_id, head_seq)
  SELECT h.record_id, h.seq FROM heads h
  ORDER BY (SELECT MIN(v.seq) FROM versions v WHERE v.record_id = h.record_id);
CREATE TABLE versions_v4 (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
  rid            INTEGER NOT NULL REFERENCES records(rid),
  record_id      TEXT    NOT NULL,
  digest         TEXT    NOT NULL,
  type           TEXT    NOT NULL,
  schema_version TEXT    NOT NULL,
  issuer         TEXT    NOT NULL,
  partner        TEXT    NOT NULL,
  supersedes     TEXT    NOT NULL DEFAULT '',
  canonical      BLOB    NOT NULL,
  issued_at      INTEGER NOT NULL,
  accepted_at    INTEGER NOT NULL,
  UNIQUE (rid, digest)
);
INSERT INTO versions_v4 (seq, rid, record_id, digest, type, schema_version, issuer, partner, supersedes, canonical, issued_at, accepted_at)
  SELECT v.seq, r.rid, v.record_id, v.digest, v.type, v.schema_version, v.issuer, v.partner, v.supersedes, v.canonical, v.issued_at, v.accepted_at
  FROM versions v JOIN records r ON r.record_id = v.record_id ORDER BY v.seq;
CREATE TABLE record_codes_v4 (
  seq  INTEGER NOT NULL REFERENCES versions_v4(seq),
  kind TEXT    NOT NULL,
  code TEXT    NOT NULL,
  PRIMARY KEY (kind, code, seq)
) WITHOUT ROWID;
INSERT INTO record_codes_v4 (seq, kind, code) SELECT seq, kind, code FROM record_codes;
CREATE TABLE deliveries_v4 (
  vseq        INTEGER NOT NULL REFERENCES versions_v4(seq),
  ledger      TEXT    NOT NULL,
  record_id   TEXT    NOT NULL,
  digest      TEXT    NOT NULL,
  policy      TEXT    NOT NULL,
  state       TEXT    NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_at     INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER,
  error       TEXT    NOT NULL DEFAULT '',
  receipt     TEXT,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (vseq, ledger)
) WITHOUT ROWID;
INSERT INTO deliveries_v4 (vseq, ledger, record_id, digest, policy, state, attempts, next_at, lease_owner, lease_until, error, receipt, updated_at)
  SELECT v.seq, d.ledger, d.record_id, d.digest, d.policy, d.state, d.attempts, d.next_at, d.lease_owner, d.lease_until, d.error, d.receipt, d.updated_at
  FROM deliveries d JOIN versions v ON v.record_id = d.record_id AND v.digest = d.digest;
DROP TABLE heads;
DROP TABLE record_codes;
DROP TABLE deliveries;
DROP TABLE versions;
ALTER TABLE versions_v4 RENAME TO versions;
ALTER TABLE record_codes_v4 RENAME TO record_codes;
ALTER TABLE deliveries_v4 RENAME TO deliveries;
CREATE INDEX records_head ON records(head_seq);
CREATE INDEX versions_type ON versions(type, seq);
CREATE INDEX versions_issuer ON versions(issuer, seq);
CREATE INDEX versions_issued_at ON versions(issued_at);
CREATE INDEX deliveries_due ON deliveries(state, next_at);
ALTER TABLE audit ADD COLUMN rid INTEGER NOT NULL DEFAULT 0;
UPDATE audit SET rid = COALESCE((SELECT r.rid FROM records r WHERE r.record_id = audit.record_id), 0) WHERE record_id <> '';
DROP INDEX audit_record;
CREATE INDEX audit_rid ON audit(rid, seq);
