package io.leadflow.api.pool;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Reads the projected figures of one owner ({@code owner_figures}) as the processor last emitted them. */
@Repository
class OwnerFiguresRepository {

    private static final String FIGURES = """
            SELECT owner, team, held, held_counting_capacity, capacity, claims_today, daily_claim_limit, day,
                time_zone, rules_version, sequence, updated_at
            FROM owner_figures WHERE tenant = :tenant AND owner = :owner
            """;

    private final DatabaseClient db;

    OwnerFiguresRepository(DatabaseClient db) {
        this.db = db;
    }

    /** The owner's last figures, empty when the processor has emitted none for them. */
    Mono<PoolViews.OwnerFigures> of(String tenant, String owner) {
        return db.sql(FIGURES)
                .bind("tenant", tenant)
                .bind("owner", owner)
                .map(row -> new PoolViews.OwnerFigures(
                        row.get("owner", String.class),
                        row.get("team", String.class),
                        row.get("held", Long.class),
                        row.get("held_counting_capacity", Long.class),
                        row.get("capacity", Integer.class),
                        row.get("claims_today", Long.class),
                        row.get("daily_claim_limit", Integer.class),
                        row.get("day", LocalDate.class),
                        row.get("time_zone", String.class),
                        row.get("rules_version", Long.class),
                        row.get("sequence", Long.class),
                        row.get("updated_at", OffsetDateTime.class).toInstant()))
                .one();
    }
}
