-- 查重 read the customers filed under each of a record's blocking keys from the GIN index on customer.match_blocks.
-- A GIN scan lists every customer of a key before the first row is read, and LIMIT cannot stop it: a common key
-- (16,000 customers at a million, a generated name's two-character block) took 3.4 ms before the first of its 64
-- was read, most of a check's 5.9 ms statement (docs/benchmarks.md, issue 7). A B-tree over (tenant, block,
-- customer) stops after the 64th entry.
--
-- One row per blocking key of each customer that is not merged away, kept by the triggers below on every write of
-- a customer, whatever writes it (the projection, the match-filing backfill). Ordered by customer id in byte order,
-- as the processor's block store is (a RocksDB prefix scan), so a full key's first entries are the same here and
-- there. See io.leadflow.api.duplicate.DuplicateRepository.

CREATE TABLE customer_block (
    tenant      text NOT NULL,
    block       text COLLATE "C" NOT NULL,
    customer_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (tenant, block, customer_id)
);

INSERT INTO customer_block (tenant, block, customer_id)
SELECT DISTINCT c.tenant, b.block, c.customer_id
FROM customer c CROSS JOIN LATERAL unnest(c.match_blocks) AS b(block)
WHERE c.merged_into IS NULL;

CREATE FUNCTION customer_block_file() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM customer_block b
        WHERE b.tenant = OLD.tenant AND b.block = ANY(OLD.match_blocks) AND b.customer_id = OLD.customer_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.merged_into IS NULL THEN
        INSERT INTO customer_block (tenant, block, customer_id)
        SELECT DISTINCT NEW.tenant, b.block, NEW.customer_id FROM unnest(NEW.match_blocks) AS b(block)
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER customer_block_filed AFTER INSERT OR DELETE ON customer
    FOR EACH ROW EXECUTE FUNCTION customer_block_file();

-- Most writes of a customer (a stage, an owner, a follow-up) leave its blocks and its merge alone.
CREATE TRIGGER customer_block_refiled AFTER UPDATE ON customer
    FOR EACH ROW
    WHEN (OLD.match_blocks IS DISTINCT FROM NEW.match_blocks OR OLD.merged_into IS DISTINCT FROM NEW.merged_into
          OR OLD.tenant IS DISTINCT FROM NEW.tenant OR OLD.customer_id IS DISTINCT FROM NEW.customer_id)
    EXECUTE FUNCTION customer_block_file();

ANALYZE customer_block;
