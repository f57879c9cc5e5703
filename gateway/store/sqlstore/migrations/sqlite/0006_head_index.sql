-- ledgergate store, version 6: the index on records(head_seq) goes. It
-- served one query, the record list, which joined each listed version to
-- its record by head_seq. The list now reaches the record by its key
-- (rid) and compares head_seq there, so accepting a record updates one
-- index fewer.
DROP INDEX records_head;
