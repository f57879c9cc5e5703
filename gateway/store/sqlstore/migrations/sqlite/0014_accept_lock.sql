-- ledgergate store, version 14: on PostgreSQL, a function takes the
-- accept lock and reads the numbers an accept assigns after (see the
-- PostgreSQL migration of the same number). SQLite has a single writer
-- and needs no lock. This file keeps the two databases' schema versions
-- in step.
SELECT 1
