package io.leadflow.api.projection;

import io.leadflow.avro.PoolEvent;
import io.leadflow.schemas.TopicSpec;
import io.leadflow.schemas.Topics;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Appends pool events to {@code pool_event}, once per event id, each with its tenant's next change number
 * ({@link ChangeNumbers}): a replayed event changes nothing and keeps the number streams resumed from.
 */
@Component
class PoolEventRows implements Projector<PoolEvent> {

    static final String INSERT = ChangeNumbers.NEXT + """
            INSERT INTO pool_event (tenant, event_id, seq, customer_id, type, actor, from_owner, to_owner, pool_id,
                rule, reason, deadline, occurred_at)
            SELECT :tenant, :eventId, number.id, :customerId, :type, :actor, :fromOwner, :toOwner, :poolId, :rule,
                :reason, :deadline, :occurredAt
            FROM number
            ON CONFLICT (tenant, event_id) DO NOTHING
            """;

    private final DatabaseClient db;

    PoolEventRows(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public TopicSpec<String, PoolEvent> topic() {
        return Topics.POOL_EVENTS;
    }

    @Override
    public Mono<Optional<Change>> apply(String key, PoolEvent event, long offset) {
        if (event == null) {
            return Mono.just(Optional.empty());
        }
        DatabaseClient.GenericExecuteSpec spec = db.sql(INSERT)
                .bind("tenant", event.getTenant())
                .bind("eventId", event.getEventId())
                .bind("customerId", event.getCustomerId())
                .bind("type", event.getType().name());
        spec = Bind.nullable(spec, "actor", event.getActor(), String.class);
        spec = Bind.nullable(spec, "fromOwner", event.getFromOwner(), String.class);
        spec = Bind.nullable(spec, "toOwner", event.getToOwner(), String.class);
        spec = Bind.nullable(spec, "poolId", event.getPoolId(), String.class);
        spec = Bind.nullable(spec, "rule", event.getRule(), String.class);
        spec = Bind.nullable(spec, "reason", event.getReason(), String.class);
        spec = Bind.instant(spec, "deadline", event.getDeadline());
        spec = Bind.instant(spec, "occurredAt", event.getOccurredAt());
        return spec.fetch()
                .rowsUpdated()
                .map(rows -> rows > 0 ? Optional.of(new Change(Change.POOL, event.getTenant())) : Optional.empty());
    }
}
