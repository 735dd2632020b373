package io.leadflow.api.projection;

import io.leadflow.avro.CommandResult;
import io.leadflow.schemas.TopicSpec;
import io.leadflow.schemas.Topics;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Keeps each command's outcome in {@code command_result}, where a client polls it after a {@code 202}. The
 * processor decides a command once, so the first result per command id stands.
 */
@Component
class CommandResultRows implements Projector<CommandResult> {

    private static final String INSERT = """
            INSERT INTO command_result (tenant, command_id, customer_id, outcome, reason, message, decided_at)
            VALUES (:tenant, :commandId, :customerId, :outcome, :reason, :message, :decidedAt)
            ON CONFLICT (tenant, command_id) DO NOTHING
            """;

    private final DatabaseClient db;

    CommandResultRows(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public TopicSpec<String, CommandResult> topic() {
        return Topics.COMMAND_RESULTS;
    }

    @Override
    public Mono<Optional<Change>> apply(String key, CommandResult result, long offset) {
        if (result == null) {
            return Mono.just(Optional.empty());
        }
        DatabaseClient.GenericExecuteSpec spec = db.sql(INSERT)
                .bind("tenant", result.getTenant())
                .bind("commandId", result.getCommandId())
                .bind("outcome", result.getOutcome().name());
        spec = Bind.nullable(spec, "customerId", result.getCustomerId(), String.class);
        spec = Bind.nullable(
                spec,
                "reason",
                result.getReason() == null ? null : result.getReason().name(),
                String.class);
        spec = Bind.nullable(spec, "message", result.getMessage(), String.class);
        spec = Bind.instant(spec, "decidedAt", result.getDecidedAt());
        return spec.fetch().rowsUpdated().thenReturn(Optional.empty());
    }
}
