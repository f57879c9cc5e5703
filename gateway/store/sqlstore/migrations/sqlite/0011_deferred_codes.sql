-- ledgergate store, version 11: on PostgreSQL, index codes are copied
-- into record_codes after the accept (see the PostgreSQL migration of the
-- same number). SQLite keeps them in its FTS5 table record_terms
-- (version 7), written by the accept. This file keeps the two databases'
-- schema versions in step.
SELECT 1
