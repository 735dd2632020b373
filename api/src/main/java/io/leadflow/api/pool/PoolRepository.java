package io.leadflow.api.pool;

import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Counts of the pool queries. */
@Repository
class PoolRepository {

    private static final String USED = """
            SELECT count(*) FROM customer
            WHERE tenant = :tenant AND owner = :owner AND (:countWon OR stage <> ALL(CAST(:won AS text[])))
            """;

    private static final String PUBLIC_COUNTS = """
            SELECT COALESCE(pool_id, :defaultPool) AS pool, count(*) AS customers FROM customer
            WHERE tenant = :tenant AND owner IS NULL GROUP BY 1
            """;

    private final DatabaseClient db;

    PoolRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<Long> used(String tenant, String owner, boolean countWon, List<String> wonStages) {
        return db.sql(USED)
                .bind("tenant", tenant)
                .bind("owner", owner)
                .bind("countWon", countWon)
                .bind("won", wonStages.toArray(String[]::new))
                .map(row -> row.get(0, Long.class))
                .one();
    }

    Mono<java.util.Map<String, Long>> publicCounts(String tenant, String defaultPool) {
        return db.sql(PUBLIC_COUNTS)
                .bind("tenant", tenant)
                .bind("defaultPool", defaultPool)
                .map(row -> java.util.Map.entry(row.get("pool", String.class), row.get("customers", Long.class)))
                .all()
                .collectMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue);
    }
}
