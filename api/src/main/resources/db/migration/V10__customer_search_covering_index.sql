-- A salesperson's two-character search read one page by walking the tenant's newest-first index and fetching every
-- row it passed from the table, to test the name's character pairs and the visibility rule: about 2,100 rows for
-- 20 matches at 1,000,000 customers, 8–15 ms (docs/benchmarks.md, issue 7). With those columns in the index the
-- page is found in the index alone (an index-only scan of a vacuumed table, 1–2 ms), and only its 20 rows are read.
--
-- A B-tree entry holds at most about 2,700 bytes, and the pairs of a 200-character name take up to 4,000. So a name
-- longer than 64 characters (at most 127 pairs, about 1,300 bytes) keeps no pairs here (NULL), and the search tests
-- it with ILIKE alone, on the name, which the index holds too; a customer without a name has no pairs (an empty
-- array), so that NULL marks long names only, few enough for an index of their own.
-- See io.leadflow.api.customer.CustomerRepository.

DROP INDEX customer_company_name_grams;
DROP INDEX customer_tenant_recent;
ALTER TABLE customer DROP COLUMN company_name_grams;

ALTER TABLE customer ADD COLUMN company_name_grams text[]
    GENERATED ALWAYS AS (CASE
        WHEN company_name IS NULL THEN '{}'::text[]
        WHEN char_length(company_name) <= 64 THEN customer_name_grams(company_name)
    END) STORED;

CREATE INDEX customer_company_name_grams ON customer USING gin (company_name_grams);
CREATE INDEX customer_long_names ON customer (tenant) WHERE company_name_grams IS NULL;
CREATE INDEX customer_tenant_recent ON customer (tenant, updated_at DESC, customer_id)
    INCLUDE (owner, team, pool_id, company_name, company_name_grams);

-- As in V8: the planner estimates how many names contain a pair from the column's most common elements.
ALTER TABLE customer ALTER COLUMN company_name_grams SET STATISTICS 1000;

ANALYZE customer;
