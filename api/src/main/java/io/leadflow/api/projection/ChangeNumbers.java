package io.leadflow.api.projection;

/**
 * Numbers every projected change of a tenant (pool events, identity events, funnel figures) from one series per
 * tenant, which live streams send as event ids and resume from ({@code Last-Event-ID}). A statement takes the
 * next number of its tenant's {@code tenant_change} row in a common table expression, so the row stays locked
 * until the statement's transaction (the projection's batch) commits: a tenant's numbers commit in the order they are taken, even with several api
 * instances projecting at once. Once a reader sees number N, every lower number of the tenant is committed or was
 * never used, so "rows after N" cannot miss one. A replayed record that changes nothing uses up a number; gaps are
 * harmless.
 */
final class ChangeNumbers {

    /** A CTE named {@code number} with one column {@code id}: the next number of tenant {@code :tenant}. */
    static final String NEXT = """
            WITH number AS (
                INSERT INTO tenant_change (tenant, last_id) VALUES (:tenant, 1)
                ON CONFLICT (tenant) DO UPDATE SET last_id = tenant_change.last_id + 1
                RETURNING last_id AS id)
            """;

    private ChangeNumbers() {}
}
