-- Change numbers the live streams resume from, one series per tenant, taken in one place.
--
-- V2 numbered changes from one global sequence. With several api instances projecting at once, nextval() order is
-- not commit order: a change numbered 10 can commit after one numbered 11, and a stream that already sent 11
-- would skip 10 on resume. Now every projected change takes the next number of its tenant's row in
-- tenant_change, in the same statement as the write; the row stays locked until that statement commits, so a
-- tenant's numbers commit in order: once a reader sees number N, every lower number of the tenant is committed
-- (or was never used). See io.leadflow.api.projection.ChangeNumbers.
CREATE TABLE tenant_change (
    tenant  text   NOT NULL PRIMARY KEY,
    last_id bigint NOT NULL
);

-- Existing rows keep their numbers; each tenant continues above the highest number ever given out.
INSERT INTO tenant_change (tenant, last_id)
SELECT tenant, (SELECT last_value FROM change_seq)
FROM (SELECT tenant FROM pool_event UNION SELECT tenant FROM identity_event UNION SELECT tenant FROM funnel_figure) t;

-- A writer that forgets to take a number fails rather than silently using the global sequence.
ALTER TABLE pool_event ALTER COLUMN seq DROP DEFAULT;
ALTER TABLE identity_event ALTER COLUMN seq DROP DEFAULT;
ALTER TABLE funnel_figure ALTER COLUMN seq DROP DEFAULT;

-- Numbers are unique within a tenant only.
DROP INDEX pool_event_seq;
DROP INDEX pool_event_tenant_seq;
CREATE UNIQUE INDEX pool_event_tenant_seq ON pool_event (tenant, seq);
DROP INDEX identity_event_seq;
DROP INDEX identity_event_tenant_seq;
CREATE UNIQUE INDEX identity_event_tenant_seq ON identity_event (tenant, seq);
DROP INDEX funnel_figure_tenant_seq;
CREATE UNIQUE INDEX funnel_figure_tenant_seq ON funnel_figure (tenant, seq);

DROP SEQUENCE change_seq;

-- Streams of one user's events and of one public pool.
CREATE INDEX pool_event_tenant_to_owner ON pool_event (tenant, to_owner, seq);
CREATE INDEX pool_event_tenant_from_owner ON pool_event (tenant, from_owner, seq);
CREATE INDEX pool_event_tenant_pool ON pool_event (tenant, pool_id, seq);

-- Pruning of old command outcomes (leadflow.api.commands.result-retention).
CREATE INDEX command_result_decided_at ON command_result (decided_at);
