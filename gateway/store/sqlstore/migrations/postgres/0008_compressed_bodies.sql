-- ledgergate store, version 8: record bodies (versions.canonical) may be
-- stored compressed, marked by their first byte (sqlstore/body.go);
-- bodies stored before stay as they are and read as before. No table
-- changes. From this version on a build refuses a database at a schema
-- version it does not know (sqlstore.ErrNewerSchema); builds before it
-- do not check, so do not go back to one after this migration.
SELECT 1
