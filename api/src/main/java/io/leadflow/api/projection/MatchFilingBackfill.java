package io.leadflow.api.projection;

import io.leadflow.api.duplicate.MatchFiling;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Files the customers projected before 查重 moved onto the matching engine (rows without a fingerprint, see
 * {@code V5__customer_match_blocks.sql}): once at start-up, a batch at a time, in the background. A row the
 * projection rewrites meanwhile is left as the projection wrote it. Idempotent, so every api instance may run it.
 */
@Component
class MatchFilingBackfill implements SmartLifecycle {

    static final int BATCH = 500;

    private static final Logger log = LoggerFactory.getLogger(MatchFilingBackfill.class);
    private static final String UNFILED = "SELECT tenant, customer_id, version, company_name, credit_code, website,"
            + " contacts FROM customer WHERE match_fingerprint IS NULL LIMIT " + BATCH;
    private static final String FILE = "UPDATE customer SET match_blocks = :blocks, match_fingerprint = :fingerprint"
            + " WHERE tenant = :tenant AND customer_id = :customerId AND version = :version"
            + " AND match_fingerprint IS NULL";

    private final DatabaseClient db;
    private final JsonMapper json;
    private Disposable run;

    MatchFilingBackfill(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    private record Unfiled(String tenant, String customerId, long version, MatchFiling filing) {}

    /** Files one batch of unfiled customers; answers how many it read (0 when none are left). */
    Mono<Integer> fileBatch() {
        return db.sql(UNFILED)
                .map(this::unfiled)
                .all()
                .collectList()
                .publishOn(Schedulers.parallel())
                .flatMap(rows -> Flux.fromIterable(rows)
                        .concatMap(row -> db.sql(FILE)
                                .bind("blocks", row.filing().blocks().toArray(String[]::new))
                                .bind("fingerprint", row.filing().fingerprint())
                                .bind("tenant", row.tenant())
                                .bind("customerId", row.customerId())
                                .bind("version", row.version())
                                .fetch()
                                .rowsUpdated())
                        .then(Mono.just(rows.size())));
    }

    private Unfiled unfiled(Readable row) {
        Json contacts = row.get("contacts", Json.class);
        JsonNode first =
                contacts == null ? null : json.readTree(contacts.asString()).path(0);
        return new Unfiled(
                row.get("tenant", String.class),
                row.get("customer_id", String.class),
                row.get("version", Long.class),
                MatchFiling.of(
                        row.get("company_name", String.class),
                        row.get("credit_code", String.class),
                        row.get("website", String.class),
                        text(first, "email"),
                        text(first, "phone"),
                        text(first, "mobile")));
    }

    private static String text(JsonNode contact, String field) {
        if (contact == null || !contact.path(field).isString()) {
            return null;
        }
        return contact.path(field).asString();
    }

    @Override
    public void start() {
        run = fileBatch()
                .repeat()
                .takeUntil(read -> read < BATCH)
                .reduce(0L, (total, read) -> total + read)
                .subscribe(
                        total -> {
                            if (total > 0) {
                                log.info("filed {} customers projected before 查重 used the matching engine", total);
                            }
                        },
                        error -> log.warn("filing older customers for 查重 stopped: {}", error.toString()));
    }

    @Override
    public void stop() {
        if (run != null) {
            run.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return run != null && !run.isDisposed();
    }
}
