-- 查重 decides with the same matching engine as the processor. The engine scores a customer found under one of the
-- record's blocking keys by the comparable values it was filed with (its fingerprint); each row carries both, as
-- the projection computes them from the snapshot (MatchFiling). Rows projected before this migration have a NULL
-- fingerprint until the api's backfill (MatchFilingBackfill) fills them at start-up.
ALTER TABLE customer ADD COLUMN match_blocks text[] NOT NULL DEFAULT '{}';
ALTER TABLE customer ADD COLUMN match_fingerprint text;

CREATE INDEX customer_match_blocks ON customer USING gin (match_blocks);
CREATE INDEX customer_unfiled ON customer (tenant, customer_id) WHERE match_fingerprint IS NULL;
