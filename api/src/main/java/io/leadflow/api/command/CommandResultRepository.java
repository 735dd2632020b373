package io.leadflow.api.command;

import java.time.OffsetDateTime;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Reads projected command outcomes of one tenant. */
@Repository
class CommandResultRepository {

    private final DatabaseClient db;

    CommandResultRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<CommandViews.Outcome> find(String tenant, String commandId) {
        return db.sql("SELECT command_id, outcome, reason, message, customer_id, decided_at FROM command_result"
                        + " WHERE tenant = :tenant AND command_id = :id")
                .bind("tenant", tenant)
                .bind("id", commandId)
                .map(row -> new CommandViews.Outcome(
                        row.get("command_id", String.class),
                        row.get("outcome", String.class),
                        row.get("reason", String.class),
                        row.get("message", String.class),
                        row.get("customer_id", String.class),
                        row.get("decided_at", OffsetDateTime.class).toInstant()))
                .one();
    }
}
