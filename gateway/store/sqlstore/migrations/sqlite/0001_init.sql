-- ledgergate store, version 1. Times are Unix nanoseconds (UTC).
CREATE TABLE versions (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
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
  UNIQUE (record_id, digest)
);
-- Tables keyed by their primary key alone are WITHOUT ROWID: one B-tree
-- per row instead of a rowid table plus a key index.
CREATE TABLE heads (
  record_id TEXT PRIMARY KEY,
  seq       INTEGER NOT NULL REFERENCES versions(seq)
) WITHOUT ROWID;
CREATE INDEX heads_seq ON heads(seq);
CREATE INDEX versions_type ON versions(type, seq);
CREATE INDEX versions_issuer ON versions(issuer, seq);
CREATE INDEX versions_issued_at ON versions(issued_at);
CREATE TABLE record_codes (
  seq  INTEGER NOT NULL REFERENCES versions(seq),
  kind TEXT    NOT NULL, -- 'hs' or 'country'
  code TEXT    NOT NULL,
  PRIMARY KEY (kind, code, seq)
) WITHOUT ROWID;
CREATE TABLE deliveries (
  record_id   TEXT    NOT NULL,
  digest      TEXT    NOT NULL,
  ledger      TEXT    NOT NULL,
  policy      TEXT    NOT NULL,
  state       TEXT    NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_at     INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER,
  error       TEXT    NOT NULL DEFAULT '',
  receipt     TEXT,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (record_id, digest, ledger)
) WITHOUT ROWID;
CREATE INDEX deliveries_due ON deliveries(state, next_at);
CREATE TABLE checkpoints (
  source     TEXT PRIMARY KEY,
  checkpoint TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE audit (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  time      INTEGER NOT NULL,
  actor     TEXT    NOT NULL,
  action    TEXT    NOT NULL,
  record_id TEXT    NOT NULL DEFAULT '',
  detail    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_record ON audit(record_id, seq);
