-- ledgergate store, version 2: reconciliation discrepancies.
CREATE TABLE discrepancies (
  id          BIGSERIAL PRIMARY KEY,
  record_id   TEXT    NOT NULL,
  ledger      TEXT    NOT NULL,
  partner     TEXT    NOT NULL DEFAULT '',
  verdict     TEXT    NOT NULL,
  expected    TEXT    NOT NULL DEFAULT '',
  found       TEXT    NOT NULL DEFAULT '',
  version     TEXT    NOT NULL DEFAULT '',
  reason      TEXT    NOT NULL DEFAULT '',
  fields      TEXT    NOT NULL DEFAULT '',
  first_seen  BIGINT  NOT NULL,
  resolved_at BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX discrepancies_record ON discrepancies(record_id, id);
CREATE INDEX discrepancies_open ON discrepancies(resolved_at, id);
