-- The key rules (io.leadflow.matching.KeyRules.VERSION) that made a customer's 查重 filing: match_blocks (and so
-- customer_block) and match_fingerprint. The rules of blocking and of fingerprints change with the key rules'
-- version (version 3 files a three-character Chinese trade name under its first and last character too, and
-- fingerprints carry where a record's codes place it), so rows filed under other rules, or before this column
-- (NULL), are filed again in the background at start-up (io.leadflow.api.projection.MatchFilingBackfill).
-- match_filing_pass records the rules a whole pass was made for, so that a start under the same rules reads nothing.

ALTER TABLE customer ADD COLUMN match_rules integer;

CREATE TABLE match_filing_pass (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    rules     integer NOT NULL
);
