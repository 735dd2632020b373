-- Free-text search filters names with ILIKE '%…%' and lists the newest first. PostgreSQL estimates how many names
-- match by trying the pattern on the column's histogram; with the default 100 entries a Chinese two-character query
-- (which the trigram index cannot serve) matched none of them, was estimated at a few dozen rows out of a million,
-- and the planner scanned the whole table instead of walking the newest-first index until a page was full (1 s
-- instead of milliseconds at 1,000,000 customers; docs/benchmarks.md, issue 7). A larger histogram estimates such
-- patterns within a fraction of a percent.
ALTER TABLE customer ALTER COLUMN company_name SET STATISTICS 1000;
ANALYZE customer;
