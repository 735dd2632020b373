package io.leadflow.api.projection;

import io.leadflow.api.duplicate.MatchFiling;
import io.leadflow.matching.KeyRules;
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
 * Files again, for 查重, the customers whose filing (blocking keys and fingerprint) was made under other key rules
 * than this version's ({@link KeyRules#VERSION}), or before the rules were recorded ({@code match_rules} null, which
 * includes the rows projected before 查重 moved onto the matching engine): once at start-up, a batch at a time in
 * customer order, in the background. A row the projection rewrites meanwhile is left as the projection wrote it. A
 * pass that reached the end records its rules ({@code match_filing_pass}); a start under the same rules reads nothing.
 * Idempotent, so every api instance may run it. See {@code V12__customer_match_rules.sql}.
 */
@Component
class MatchFilingBackfill implements SmartLifecycle {

    static final int BATCH = 500;

    private static final Logger log = LoggerFactory.getLogger(MatchFilingBackfill.class);
    private static final String PASSED = "SELECT rules FROM match_filing_pass";
    private static final String UNFILED = "SELECT tenant, customer_id, version, company_name, credit_code, website,"
            + " contacts FROM customer WHERE (tenant, customer_id) > (:tenant, :customerId)"
            + " AND match_rules IS DISTINCT FROM :rules ORDER BY tenant, customer_id LIMIT " + BATCH;
    private static final String FILE = "UPDATE customer SET match_blocks = :blocks, match_fingerprint = :fingerprint,"
            + " match_rules = :rules WHERE tenant = :tenant AND customer_id = :customerId AND version = :version"
            + " AND match_rules IS DISTINCT FROM :rules";
    private static final String PASS = "INSERT INTO match_filing_pass (rules) VALUES (:rules)"
            + " ON CONFLICT (singleton) DO UPDATE SET rules = EXCLUDED.rules";

    private final DatabaseClient db;
    private final JsonMapper json;
    private Disposable run;

    MatchFilingBackfill(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    private record Unfiled(String tenant, String customerId, long version, MatchFiling filing) {}

    /** Where a pass stands: the last customer read, and how many it filed again so far. */
    private record Position(String tenant, String customerId, long filed, boolean finished) {}

    /**
     * Files every customer filed under other rules, unless a pass under these rules already reached the end;
     * answers how many rows it filed again.
     */
    Mono<Long> fileAll() {
        return db.sql(PASSED)
                .map(row -> row.get("rules", Integer.class))
                .one()
                .filter(rules -> rules == KeyRules.VERSION)
                .map(rules -> 0L)
                .switchIfEmpty(Mono.defer(this::pass));
    }

    private Mono<Long> pass() {
        return Mono.just(new Position("", "", 0, false))
                .expand(position -> position.finished() ? Mono.empty() : fileBatchAfter(position))
                .last()
                .flatMap(end -> db.sql(PASS)
                        .bind("rules", KeyRules.VERSION)
                        .fetch()
                        .rowsUpdated()
                        .thenReturn(end.filed()));
    }

    /** Files the next batch of customers filed under other rules after {@code position}. */
    private Mono<Position> fileBatchAfter(Position position) {
        return db.sql(UNFILED)
                .bind("tenant", position.tenant())
                .bind("customerId", position.customerId())
                .bind("rules", KeyRules.VERSION)
                .map(this::unfiled)
                .all()
                .collectList()
                .publishOn(Schedulers.parallel())
                .flatMap(rows -> Flux.fromIterable(rows)
                        .concatMap(row -> db.sql(FILE)
                                .bind("blocks", row.filing().blocks().toArray(String[]::new))
                                .bind("fingerprint", row.filing().fingerprint())
                                .bind("rules", KeyRules.VERSION)
                                .bind("tenant", row.tenant())
                                .bind("customerId", row.customerId())
                                .bind("version", row.version())
                                .fetch()
                                .rowsUpdated())
                        .reduce(0L, Long::sum)
                        .map(filed -> rows.isEmpty()
                                ? new Position(position.tenant(), position.customerId(), position.filed(), true)
                                : new Position(
                                        rows.get(rows.size() - 1).tenant(),
                                        rows.get(rows.size() - 1).customerId(),
                                        position.filed() + filed,
                                        rows.size() < BATCH)));
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
        run = fileAll()
                .subscribe(
                        filed -> {
                            if (filed > 0) {
                                log.info("filed {} customers again for 查重 under key rules {}", filed, KeyRules.VERSION);
                            }
                        },
                        error -> log.warn("filing customers again for 查重 stopped: {}", error.toString()));
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
