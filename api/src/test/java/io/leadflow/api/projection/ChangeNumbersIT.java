package io.leadflow.api.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadflow.api.TestApi;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The property live streams resume by: a tenant's change numbers commit in the order they are taken, so a
 * reader never sees a number while a lower one of the same tenant is still uncommitted — even when two api
 * instances project the tenant's events at once.
 */
class ChangeNumbersIT {

    private static final String TENANT = "cn-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aLaterChangeOfATenantWaitsUntilAnEarlierUncommittedOneCommits() {
        ConnectionFactory connections = TestApi.api().getBean(ConnectionFactory.class);
        DatabaseClient db = TestApi.api().getBean(DatabaseClient.class);
        Connection first = Mono.from(connections.create()).block();
        Connection second = Mono.from(connections.create()).block();
        try {
            Mono.from(first.beginTransaction()).block();
            insert(first, "e-first").block();

            CompletableFuture<Long> later = insert(second, "e-second").toFuture();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> db.sql("SELECT count(*) FROM pg_locks WHERE NOT granted")
                                    .map(row -> row.get(0, Long.class))
                                    .one()
                                    .block()
                            > 0);

            assertThat(later).isNotDone();
            assertThat(numbers(db)).isEmpty();

            Mono.from(first.commitTransaction()).block();
            later.join();

            assertThat(numbers(db)).hasSize(2);
            assertThat(seqOf(db, "e-first")).isLessThan(seqOf(db, "e-second"));
        } finally {
            Mono.from(first.close()).block();
            Mono.from(second.close()).block();
        }
    }

    private static Mono<Long> insert(Connection connection, String eventId) {
        String sql = PoolEventRows.INSERT
                .replace(":tenant", "$1")
                .replace(":eventId", "$2")
                .replace(":customerId", "$3")
                .replace(":type", "$4")
                .replace(":actor", "$5")
                .replace(":fromOwner", "$6")
                .replace(":toOwner", "$7")
                .replace(":poolId", "$8")
                .replace(":rule", "$9")
                .replace(":reason", "$10")
                .replace(":deadline", "$11")
                .replace(":occurredAt", "$12");
        return Flux.from(connection
                        .createStatement(sql)
                        .bind("$1", TENANT)
                        .bind("$2", eventId)
                        .bind("$3", "c-1")
                        .bind("$4", "ASSIGNED")
                        .bindNull("$5", String.class)
                        .bindNull("$6", String.class)
                        .bind("$7", "alice")
                        .bindNull("$8", String.class)
                        .bindNull("$9", String.class)
                        .bindNull("$10", String.class)
                        .bindNull("$11", OffsetDateTime.class)
                        .bind("$12", OffsetDateTime.now())
                        .execute())
                .flatMap(result -> result.getRowsUpdated())
                .reduce(0L, Long::sum);
    }

    private static List<Long> numbers(DatabaseClient db) {
        return db.sql("SELECT seq FROM pool_event WHERE tenant = :tenant ORDER BY seq")
                .bind("tenant", TENANT)
                .map(row -> row.get(0, Long.class))
                .all()
                .collectList()
                .block();
    }

    private static long seqOf(DatabaseClient db, String eventId) {
        return db.sql("SELECT seq FROM pool_event WHERE tenant = :tenant AND event_id = :id")
                .bind("tenant", TENANT)
                .bind("id", eventId)
                .map(row -> row.get(0, Long.class))
                .one()
                .block();
    }
}
