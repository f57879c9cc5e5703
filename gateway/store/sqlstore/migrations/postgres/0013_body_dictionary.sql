-- ledgergate store, version 13: record bodies are stored S2-compressed
-- with a dictionary (tag 0x02, sqlstore/body.go). No table changes;
-- bodies stored before stay as they are and read as before. Builds of
-- store versions 8 to 12 cannot read the new bodies and refuse a
-- database at this version (sqlstore.ErrNewerSchema), so do not go back
-- to one after this migration.
SELECT 1
