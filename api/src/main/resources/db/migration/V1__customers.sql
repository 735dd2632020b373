-- The customer read model: one row per customer, projected from leadflow.customers.v1.
-- The processor is the only writer of customer state; the api only projects it here.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE customer (
    tenant            text        NOT NULL,
    customer_id       text        NOT NULL,
    version           bigint      NOT NULL,
    company_name      text,
    credit_code       text,
    website           text,
    industry          text,
    address           text,
    contacts          jsonb       NOT NULL DEFAULT '[]',
    match_keys        jsonb       NOT NULL DEFAULT '[]',
    lead_ids          text[]      NOT NULL DEFAULT '{}',
    source            text,
    campaign          text,
    owner             text,
    team              text,
    pool_id           text,
    stage             text        NOT NULL,
    amount            numeric(18, 2),
    level             text,
    first_lead_at     timestamptz NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    assigned_at       timestamptz,
    last_follow_up_at timestamptz,
    return_deadline   timestamptz,
    return_rule       text,
    locked            boolean     NOT NULL DEFAULT false,
    merged_into       text,
    PRIMARY KEY (tenant, customer_id)
);

-- Free-text search on names (Chinese and Latin) with ILIKE, served by a trigram index.
CREATE INDEX customer_company_name_trgm ON customer USING gin (company_name gin_trgm_ops);
-- The default listing: a tenant's customers, most recently changed first.
CREATE INDEX customer_tenant_recent ON customer (tenant, updated_at DESC, customer_id);
