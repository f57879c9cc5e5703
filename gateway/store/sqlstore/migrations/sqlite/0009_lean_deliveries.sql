-- ledgergate store, version 9: a delivery no longer repeats its
-- version's record id and digest. The row is keyed by the version's seq
-- (vseq, since version 4), and the version holds both, so reads join
-- versions on its primary key. The two columns were about 110 of a
-- delivery's 185 bytes, written once per record and ledger.
ALTER TABLE deliveries DROP COLUMN record_id;
ALTER TABLE deliveries DROP COLUMN digest;
