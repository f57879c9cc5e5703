-- ledgergate store, version 12: on PostgreSQL, record_codes is keyed by
-- the version's terms (see the PostgreSQL migration of the same number).
-- SQLite keeps its index codes in the FTS5 table record_terms (version
-- 7). This file keeps the two databases' schema versions in step.
SELECT 1
