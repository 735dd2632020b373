package io.leadflow.api.projection;

import io.leadflow.avro.OwnerFigures;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.TopicSpec;
import io.leadflow.schemas.Topics;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Keeps each owner's latest figures in {@code owner_figures}. The processor numbers an owner's figures (1, 2, 3, …);
 * a figure replaces the row only when its {@code sequence} is higher, so replaying the topic from the start, or an
 * older figure arriving late, never moves a row backwards. A tombstone (the processor writes none today) deletes
 * the row.
 */
@Component
class OwnerFiguresRows implements Projector<OwnerFigures> {

    private static final String UPSERT = """
            INSERT INTO owner_figures (tenant, owner, team, held, held_counting_capacity, capacity, claims_today,
                daily_claim_limit, day, time_zone, rules_version, sequence, updated_at)
            VALUES (:tenant, :owner, :team, :held, :heldCountingCapacity, :capacity, :claimsToday, :dailyClaimLimit,
                :day, :timeZone, :rulesVersion, :sequence, :updatedAt)
            ON CONFLICT (tenant, owner) DO UPDATE SET
                team = EXCLUDED.team, held = EXCLUDED.held, held_counting_capacity = EXCLUDED.held_counting_capacity,
                capacity = EXCLUDED.capacity, claims_today = EXCLUDED.claims_today,
                daily_claim_limit = EXCLUDED.daily_claim_limit, day = EXCLUDED.day, time_zone = EXCLUDED.time_zone,
                rules_version = EXCLUDED.rules_version, sequence = EXCLUDED.sequence, updated_at = EXCLUDED.updated_at
            WHERE owner_figures.sequence < EXCLUDED.sequence
            """;

    private static final String DELETE = "DELETE FROM owner_figures WHERE tenant = :tenant AND owner = :owner";

    private final DatabaseClient db;

    OwnerFiguresRows(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public TopicSpec<String, OwnerFigures> topic() {
        return Topics.OWNER_FIGURES;
    }

    @Override
    public Mono<Optional<Change>> apply(String key, OwnerFigures figures, long offset) {
        String tenant = Keys.tenantOf(key);
        Mono<Long> write = figures == null
                ? db.sql(DELETE)
                        .bind("tenant", tenant)
                        .bind("owner", key.substring(tenant.length() + 1))
                        .fetch()
                        .rowsUpdated()
                : upsert(figures);
        return write.map(rows -> rows > 0 ? Optional.of(new Change(Change.OWNER_FIGURES, tenant)) : Optional.empty());
    }

    private Mono<Long> upsert(OwnerFigures figures) {
        DatabaseClient.GenericExecuteSpec spec = db.sql(UPSERT)
                .bind("tenant", figures.getTenant())
                .bind("owner", figures.getOwner())
                .bind("held", figures.getHeld())
                .bind("heldCountingCapacity", figures.getHeldCountingCapacity())
                .bind("claimsToday", figures.getClaimsToday())
                .bind("day", figures.getDay())
                .bind("timeZone", figures.getTimeZone())
                .bind("rulesVersion", figures.getRulesVersion())
                .bind("sequence", figures.getSequence());
        spec = Bind.nullable(spec, "team", figures.getTeam(), String.class);
        spec = Bind.nullable(spec, "capacity", figures.getCapacity(), Integer.class);
        spec = Bind.nullable(spec, "dailyClaimLimit", figures.getDailyClaimLimit(), Integer.class);
        return Bind.instant(spec, "updatedAt", figures.getUpdatedAt()).fetch().rowsUpdated();
    }
}
