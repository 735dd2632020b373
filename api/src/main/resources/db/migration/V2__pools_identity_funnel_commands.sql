-- Read models of the processor's other output topics, and the change sequence the live streams resume from.
-- The processor is the only writer of this state; the api only projects it here.

-- One sequence for every row a live stream sends: a stream's Last-Event-ID is a value of it, so a stream that
-- mixes pool and identity events resumes from one number.
CREATE SEQUENCE change_seq;

-- Exact 查重 lookups: does any customer of the tenant hold this normalised key ({"kind","value"})?
CREATE INDEX customer_match_keys ON customer USING gin (match_keys jsonb_path_ops);
-- Private pools and "returns within N days".
CREATE INDEX customer_tenant_owner ON customer (tenant, owner, return_deadline);
-- Public pools.
CREATE INDEX customer_tenant_pool ON customer (tenant, pool_id) WHERE owner IS NULL;

-- leadflow.pool-events.v1: append-only, one row per event id (a replayed event changes nothing).
CREATE TABLE pool_event (
    tenant      text        NOT NULL,
    event_id    text        NOT NULL,
    seq         bigint      NOT NULL DEFAULT nextval('change_seq'),
    customer_id text        NOT NULL,
    type        text        NOT NULL,
    actor       text,
    from_owner  text,
    to_owner    text,
    pool_id     text,
    rule        text,
    reason      text,
    deadline    timestamptz,
    occurred_at timestamptz NOT NULL,
    PRIMARY KEY (tenant, event_id)
);
CREATE UNIQUE INDEX pool_event_seq ON pool_event (seq);
CREATE INDEX pool_event_customer ON pool_event (tenant, customer_id, occurred_at);
CREATE INDEX pool_event_tenant_seq ON pool_event (tenant, seq);

-- leadflow.identity-events.v1: collisions, possible duplicates, merge suggestions and merges.
CREATE TABLE identity_event (
    tenant            text        NOT NULL,
    event_id          text        NOT NULL,
    seq               bigint      NOT NULL DEFAULT nextval('change_seq'),
    customer_id       text        NOT NULL,
    type              text        NOT NULL,
    lead_id           text,
    other_customer_id text,
    holder            text,
    intended_owner    text,
    evidence          jsonb       NOT NULL DEFAULT '[]',
    occurred_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant, event_id)
);
CREATE UNIQUE INDEX identity_event_seq ON identity_event (seq);
CREATE INDEX identity_event_tenant_type ON identity_event (tenant, type, occurred_at DESC);
CREATE INDEX identity_event_tenant_seq ON identity_event (tenant, seq);

-- leadflow.funnel.v1 (compacted): the latest figure per key. Ordered by the record's offset within its partition
-- (a key always lives in one partition), so a late or replayed older figure never overwrites a newer one.
CREATE TABLE funnel_figure (
    tenant          text        NOT NULL,
    dimension       text        NOT NULL,
    period          text        NOT NULL,
    dimension_value text        NOT NULL,
    kind            text        NOT NULL,
    stages          jsonb       NOT NULL DEFAULT '[]',
    won             bigint      NOT NULL,
    lost            bigint      NOT NULL,
    updated_at      timestamptz NOT NULL,
    source_offset   bigint      NOT NULL,
    seq             bigint      NOT NULL DEFAULT nextval('change_seq'),
    PRIMARY KEY (tenant, dimension, period, dimension_value)
);
CREATE INDEX funnel_figure_tenant_seq ON funnel_figure (tenant, seq);

-- leadflow.command-results.v1: where a command's outcome can be polled after a 202.
CREATE TABLE command_result (
    tenant      text        NOT NULL,
    command_id  text        NOT NULL,
    customer_id text,
    outcome     text        NOT NULL,
    reason      text,
    message     text,
    decided_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant, command_id)
);

-- leadflow.tenant-rules.v1 (compacted): pools and their members, capacities and funnel stages, by version.
CREATE TABLE tenant_rules (
    tenant     text        NOT NULL PRIMARY KEY,
    version    bigint      NOT NULL,
    rules      jsonb       NOT NULL,
    updated_at timestamptz NOT NULL
);
