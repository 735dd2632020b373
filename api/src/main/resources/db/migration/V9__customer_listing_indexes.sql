-- A filtered listing reads one page, newest change first, and counts its matches up to 1,001. With only the
-- tenant's newest-first index, a stage filter read the newest customers until 1,001 of one stage in seven had
-- been found (some 7,000 rows of the table), and a salesperson's own customers were all read and sorted for
-- each page (docs/benchmarks.md, issue 7). Ordered by the filter's column first, each index hands a page over
-- in order; the columns of the visibility rule (io.leadflow.api.rules.Visibility) are included so that the
-- matches are counted from the index alone (an index-only scan of a vacuumed table), whoever asks. Owners are
-- indexed only where there is one: a filter on the owner never asks for the public pools' customers.
CREATE INDEX customer_tenant_stage_recent ON customer (tenant, stage, updated_at DESC, customer_id)
    INCLUDE (owner, team, pool_id);
CREATE INDEX customer_tenant_owner_recent ON customer (tenant, owner, updated_at DESC, customer_id)
    INCLUDE (team, pool_id) WHERE owner IS NOT NULL;
