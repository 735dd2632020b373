package io.leadflow.api.command;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** The command and follow-up requests sent with an {@link IdempotencyKey}: the first one of each id is kept. */
@Repository
class CommandRequestRepository {

    /**
     * Inserts the request unless its command id is known, and answers the request kept for that id either way.
     * A concurrent first request that is not yet committed makes the insert wait and the select see nothing;
     * the caller then asks again.
     */
    private static final String RECORD = "WITH inserted AS ("
            + " INSERT INTO command_request (tenant, command_id, request_hash, issued_at)"
            + " VALUES (:tenant, :id, :hash, :issuedAt) ON CONFLICT (tenant, command_id) DO NOTHING"
            + " RETURNING request_hash, issued_at)"
            + " SELECT request_hash, issued_at, true AS first FROM inserted"
            + " UNION ALL SELECT request_hash, issued_at, false AS first FROM command_request"
            + " WHERE tenant = :tenant AND command_id = :id";

    private static final String DELETE_OLD = "DELETE FROM command_request WHERE issued_at < :cutoff";

    private final DatabaseClient db;

    CommandRequestRepository(DatabaseClient db) {
        this.db = db;
    }

    /**
     * The request kept for a command id: {@code first} when this call recorded it.
     *
     * @param requestHash what the request asks for ({@link IdempotencyKey#requestHash})
     */
    record Kept(String requestHash, Instant issuedAt, boolean first) {}

    Mono<Kept> keep(String tenant, String commandId, String requestHash, Instant issuedAt) {
        return Mono.defer(() -> db.sql(RECORD)
                        .bind("tenant", tenant)
                        .bind("id", commandId)
                        .bind("hash", requestHash)
                        .bind("issuedAt", issuedAt.atOffset(ZoneOffset.UTC))
                        .map(row -> new Kept(
                                row.get("request_hash", String.class),
                                row.get("issued_at", OffsetDateTime.class).toInstant(),
                                Boolean.TRUE.equals(row.get("first", Boolean.class))))
                        .one())
                .repeatWhenEmpty(3, attempts -> attempts);
    }

    /** Deletes the requests issued before {@code cutoff}; answers how many. */
    Mono<Long> deleteIssuedBefore(Instant cutoff) {
        return db.sql(DELETE_OLD)
                .bind("cutoff", cutoff.atOffset(ZoneOffset.UTC))
                .fetch()
                .rowsUpdated();
    }
}
