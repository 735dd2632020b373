-- Free-text search on names served by an index for queries of any length, Chinese ones of one or two characters
-- included. pg_trgm cannot serve a pattern under three characters, so ILIKE '%星云%' read the newest-first index
-- until a page was full and counted up to 1,001 matches by reading some 60,000 rows (docs/benchmarks.md, issue 7).
-- pg_bigm is not in every PostgreSQL.
--
-- Each customer now carries the characters and character pairs of its lower-cased name. ILIKE in a UTF-8 database
-- is lower(name) LIKE lower(pattern), so a name contains a query of one or two characters exactly when the query's
-- lower-cased text is one of them; a longer query needs all its pairs, and ILIKE confirms the order.
-- See io.leadflow.api.customer.CustomerRepository.

-- The characters and character pairs of a name, lower-cased as ILIKE lower-cases it. Computed on every write of a
-- customer: a loop costs less than half of the same set built by one SQL query (40 against 107 µs a name under load).
CREATE FUNCTION customer_name_grams(name text) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
    chars text := lower(name);
    grams text[] := '{}';
BEGIN
    FOR first_char IN 1 .. char_length(chars) LOOP
        -- At the last character the pair is the character alone, which DISTINCT folds.
        grams := grams || substr(chars, first_char, 1) || substr(chars, first_char, 2);
    END LOOP;
    RETURN ARRAY(SELECT DISTINCT unnest(grams));
END
$$;

-- What a name must carry to contain a query: the query itself when it is one or two characters (lower-cased), else
-- every pair of its characters.
CREATE FUNCTION customer_name_query_grams(query text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN ARRAY(
        SELECT DISTINCT substr(lowered.chars, first_char, least(2, char_length(lowered.chars)))
        FROM (SELECT lower(query) AS chars) AS lowered,
            generate_series(1, greatest(1, char_length(lowered.chars) - 1)) AS first_char);

-- The pairs index serves every query the trigram index served (dropped first, so that the table rewrite below does
-- not rebuild it).
DROP INDEX customer_company_name_trgm;

-- Computed by PostgreSQL on every write, so a renamed customer is re-indexed with its row and existing rows get
-- theirs in this migration (the table is rewritten once).
ALTER TABLE customer ADD COLUMN company_name_grams text[]
    GENERATED ALWAYS AS (customer_name_grams(company_name)) STORED;

CREATE INDEX customer_company_name_grams ON customer USING gin (company_name_grams);

-- The planner estimates how many names contain a pair from the column's most common elements: a larger list
-- (10 × the target) covers the pairs of a large tenant's names, so it can choose between walking the newest-first
-- index (a common pair) and reading the matches from the index (a rare one).
ALTER TABLE customer ALTER COLUMN company_name_grams SET STATISTICS 1000;

ANALYZE customer;
