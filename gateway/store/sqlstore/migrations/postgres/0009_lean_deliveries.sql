-- ledgergate store, version 9: a delivery no longer repeats its
-- version's record id and digest (see the SQLite migration of the same
-- number); reads join versions on its primary key.
ALTER TABLE deliveries DROP COLUMN record_id, DROP COLUMN digest;
