-- ledgergate store, version 5: on PostgreSQL, version rows are no longer
-- compressed and foreign keys are no longer enforced (see the PostgreSQL
-- migration of the same number). SQLite needs no change to its tables: it
-- stopped enforcing foreign keys by connection setting (sqlite.Open), and
-- the relations are verified by sqlstore.Store.CheckIntegrity. This file
-- keeps the two databases' schema versions in step.
SELECT 1
