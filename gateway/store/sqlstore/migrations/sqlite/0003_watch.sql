-- ledgergate store, version 3: dead letters and leases (watched sources,
-- webhooks). Times are Unix nanoseconds (UTC).
CREATE TABLE dead_letters (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  kind       TEXT    NOT NULL,
  source     TEXT    NOT NULL,
  item_key   TEXT    NOT NULL,
  payload    TEXT    NOT NULL,
  provenance TEXT    NOT NULL DEFAULT '',
  error      TEXT    NOT NULL,
  state      TEXT    NOT NULL,
  attempts   INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (kind, source, item_key)
);
CREATE INDEX dead_letters_state ON dead_letters(state, id);
CREATE TABLE leases (
  name        TEXT PRIMARY KEY,
  owner       TEXT    NOT NULL,
  lease_until INTEGER NOT NULL
);
