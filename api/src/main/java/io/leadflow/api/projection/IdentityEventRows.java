package io.leadflow.api.projection;

import io.leadflow.avro.IdentityEvent;
import io.leadflow.schemas.TopicSpec;
import io.leadflow.schemas.Topics;
import io.r2dbc.postgresql.codec.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends identity findings (collisions, possible duplicates, merge suggestions, merges) to
 * {@code identity_event}, once per event id, with their evidence and their tenant's next change number
 * ({@link ChangeNumbers}).
 */
@Component
class IdentityEventRows implements Projector<IdentityEvent> {

    private static final String INSERT = ChangeNumbers.NEXT + """
            INSERT INTO identity_event (tenant, event_id, seq, customer_id, type, lead_id, other_customer_id, holder,
                intended_owner, evidence, occurred_at)
            SELECT :tenant, :eventId, number.id, :customerId, :type, :leadId, :otherCustomerId, :holder,
                :intendedOwner, :evidence, :occurredAt
            FROM number
            ON CONFLICT (tenant, event_id) DO NOTHING
            """;

    private final DatabaseClient db;
    private final JsonMapper json;

    IdentityEventRows(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    @Override
    public TopicSpec<String, IdentityEvent> topic() {
        return Topics.IDENTITY_EVENTS;
    }

    @Override
    public Mono<Optional<Change>> apply(String key, IdentityEvent event, long offset) {
        if (event == null) {
            return Mono.just(Optional.empty());
        }
        var evidence = event.getEvidence().stream()
                .map(item -> {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("kind", item.getKind().name());
                    fields.put("value", item.getValue());
                    fields.put("score", item.getScore());
                    fields.put("rule", item.getRule());
                    return fields;
                })
                .toList();
        DatabaseClient.GenericExecuteSpec spec = db.sql(INSERT)
                .bind("tenant", event.getTenant())
                .bind("eventId", event.getEventId())
                .bind("customerId", event.getCustomerId())
                .bind("type", event.getType().name())
                .bind("evidence", Json.of(json.writeValueAsString(evidence)));
        spec = Bind.nullable(spec, "leadId", event.getLeadId(), String.class);
        spec = Bind.nullable(spec, "otherCustomerId", event.getOtherCustomerId(), String.class);
        spec = Bind.nullable(spec, "holder", event.getHolder(), String.class);
        spec = Bind.nullable(spec, "intendedOwner", event.getIntendedOwner(), String.class);
        spec = Bind.instant(spec, "occurredAt", event.getOccurredAt());
        return spec.fetch()
                .rowsUpdated()
                .map(rows -> rows > 0 ? Optional.of(new Change(Change.IDENTITY, event.getTenant())) : Optional.empty());
    }
}
