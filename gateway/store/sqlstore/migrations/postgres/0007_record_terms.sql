-- ledgergate store, version 7: on SQLite, index codes move to an FTS5
-- table (see the SQLite migration of the same number). PostgreSQL keeps
-- record_codes: its write-ahead log records row changes, not whole
-- pages, so a scattered insert costs it far less. This file keeps the two
-- databases' schema versions in step.
SELECT 1
