package io.leadflow.api.customer;

import io.leadflow.api.rules.Visibility;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the customer projection; every query is scoped to one tenant and to what the viewer may see. */
@Repository
class CustomerRepository {

    private static final String COLUMNS = "c.customer_id, c.version, c.company_name, c.credit_code, c.website,"
            + " c.industry, c.address, c.contacts, c.match_keys, c.lead_ids, c.source, c.campaign, c.owner, c.team,"
            + " c.pool_id, c.stage, c.amount, c.level, c.first_lead_at, c.created_at, c.updated_at, c.assigned_at,"
            + " c.last_follow_up_at, c.return_deadline, c.return_rule, c.locked";

    private static final String BY_ID = "SELECT " + COLUMNS + " FROM customer c"
            + " WHERE c.tenant = :tenant AND c.customer_id = :id AND " + Visibility.CONDITION;

    /**
     * The name contains {@code :query} literally, ignoring case ({@code :pattern} is the same as an ILIKE pattern).
     * The name's character pairs ({@code V8__customer_name_grams.sql}) find the candidates by index. For a query of
     * one or two characters they are the answer, and ILIKE is left out so that the planner, which would count both
     * conditions as independent, estimates how many names match from the pairs' statistics alone: that estimate
     * decides between walking the newest-first index (many matches) and reading the matches from the pairs index
     * (few). A longer query needs all its pairs, in any order; ILIKE confirms the order. A name of more than 64
     * characters has no pairs (NULL, {@code V10__customer_search_covering_index.sql}) and is tested by ILIKE alone.
     */
    private static final String NAME_CONTAINS_QUERY =
            "(c.company_name_grams @> customer_name_query_grams(CAST(:query AS text))"
                    + " AND (char_length(lower(CAST(:query AS text))) <= 2 OR c.company_name ILIKE :pattern)"
                    + " OR c.company_name_grams IS NULL AND c.company_name ILIKE :pattern)";

    private static final String MATCHES = " AND (CAST(:query AS text) IS NULL OR " + NAME_CONTAINS_QUERY + ")"
            + " AND (CAST(:owner AS text) IS NULL OR c.owner = :owner)"
            + " AND (CAST(:team AS text) IS NULL OR c.team = :team)"
            + " AND (CAST(:pool AS text) IS NULL OR c.owner IS NULL AND (c.pool_id = :pool"
            + " OR c.pool_id IS NULL AND CAST(:defaultPool AS text) = :pool))"
            + " AND (CAST(:stage AS text) IS NULL OR c.stage = :stage)"
            + " AND (CAST(:level AS text) IS NULL OR c.level = :level)"
            + " AND (CAST(:source AS text) IS NULL OR c.source = :source)"
            + " AND (CAST(:campaign AS text) IS NULL OR c.campaign = :campaign)"
            + " AND (CAST(:returnsBefore AS timestamptz) IS NULL OR c.return_deadline <= :returnsBefore)";

    private static final String FILTER = " WHERE c.tenant = :tenant AND " + Visibility.CONDITION + MATCHES;

    /**
     * {@link #FILTER} for counting the matches of a free-text query: the visibility condition is wrapped in {@code
     * IS TRUE} (the same rows pass) so that PostgreSQL cannot answer it from an index. Otherwise it intersected the
     * query's matches with the bitmap of every public-pool customer (600,000 at a million) before counting the first
     * few hundred, which a bitmap of the query's matches alone reaches by reading a few hundred rows. The query's matches
     * bound what is read; a viewer who sees few customers and searches for a very common character reads more.
     */
    private static final String SEARCH_FILTER =
            " WHERE c.tenant = :tenant AND " + Visibility.CONDITION + " IS TRUE" + MATCHES;

    /**
     * One page in two steps: the matches' ids in order, then their rows. Every column that the filters of a free-text
     * search, a stage or an owner and the visibility rule test is in an index ({@code customer_tenant_recent}, {@code
     * customer_tenant_stage_recent}, {@code customer_tenant_owner_recent}), so the first step can find the page in
     * the index alone, however many rows it passes; asking for every column at once made PostgreSQL read each of
     * those rows from the table (some 2,100 for a salesperson's two-character search, for 20 matches).
     */
    private static final String SEARCH = "SELECT " + COLUMNS + " FROM (SELECT c.customer_id, c.updated_at"
            + " FROM customer c" + FILTER + " ORDER BY c.updated_at DESC, c.customer_id LIMIT :limit OFFSET :offset)"
            + " found JOIN customer c ON c.tenant = :tenant AND c.customer_id = found.customer_id"
            + " ORDER BY found.updated_at DESC, found.customer_id";

    private static final String COUNT = "SELECT count(*) FROM customer c" + FILTER;

    /** Stops counting at {@code :limit}: a broad filter need not scan every customer of a large tenant. */
    private static final String COUNT_UP_TO = countUpTo(FILTER);

    private static final String COUNT_SEARCH_UP_TO = countUpTo(SEARCH_FILTER);

    /**
     * One page and its matches counted up to {@code :countLimit}, in one statement: one round trip and one
     * connection per listing instead of two. The count (one row) is joined to the page (none or more rows), so an
     * empty page still answers the count; each part is planned as it would be alone.
     */
    private static final String PAGE = "SELECT counted.total, page.* FROM (SELECT count(*) AS total FROM ("
            + "SELECT 1 FROM customer c" + FILTER + " LIMIT :countLimit) matches) counted LEFT JOIN LATERAL ("
            + SEARCH + ") page ON true"
            + " ORDER BY page.updated_at DESC, page.customer_id";

    private static final String HISTORY = """
            SELECT seq, event_id, type, actor, from_owner, to_owner, pool_id, rule, reason, deadline, occurred_at
            FROM pool_event WHERE tenant = :tenant AND customer_id = :id ORDER BY occurred_at, seq LIMIT 500
            """;

    private final DatabaseClient db;
    private final JsonMapper json;

    CustomerRepository(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** The version of a customer as projected, whoever may see it; empty when not (yet) projected. */
    Mono<Long> projectedVersion(String tenant, String customerId) {
        return db.sql("SELECT version FROM customer WHERE tenant = :tenant AND customer_id = :id")
                .bind("tenant", tenant)
                .bind("id", customerId)
                .map(row -> row.get("version", Long.class))
                .one();
    }

    Mono<CustomerView> findById(Visibility visibility, String customerId) {
        return visibility
                .bind(db.sql(BY_ID))
                .bind("tenant", visibility.viewer().tenant())
                .bind("id", customerId)
                .map(this::toView)
                .one();
    }

    Mono<List<CustomerView>> search(Visibility visibility, CustomerFilter filter, int page, int size) {
        return filtered(db.sql(SEARCH), visibility, filter)
                .bind("limit", size)
                .bind("offset", (long) page * size)
                .map(this::toView)
                .all()
                .collectList();
    }

    /**
     * One page of the matches, newest first, and how many there are (up to {@link CustomerPage#TOTAL_LIMIT}, or
     * {@link CustomerPage#SEARCH_TOTAL_LIMIT} for a free-text search, then "more"). A filtered listing's page and
     * count each read a few dozen index entries and share one statement. A free-text search's count reads a few
     * hundred rows and its page a few thousand index entries, so they run at once on two connections and take as
     * long as the longer of the two (one statement was measured no faster, docs/benchmarks.md).
     */
    Mono<CustomerPage> page(Visibility visibility, CustomerFilter filter, int page, int size) {
        if (filter.query() != null) {
            return search(visibility, filter, page, size)
                    .zipWith(countUpTo(visibility, filter, CustomerPage.SEARCH_TOTAL_LIMIT + 1))
                    .map(found ->
                            CustomerPage.of(found.getT1(), page, size, found.getT2(), CustomerPage.SEARCH_TOTAL_LIMIT));
        }
        return filtered(db.sql(PAGE), visibility, filter)
                .bind("limit", size)
                .bind("offset", (long) page * size)
                .bind("countLimit", CustomerPage.TOTAL_LIMIT + 1)
                .map(row -> new CountedRow(
                        row.get("total", Long.class),
                        row.get("customer_id", String.class) == null ? null : toView(row)))
                .all()
                .collectList()
                .map(rows -> CustomerPage.of(
                        rows.stream()
                                .map(CountedRow::customer)
                                .filter(customer -> customer != null)
                                .toList(),
                        page,
                        size,
                        rows.get(0).total(),
                        CustomerPage.TOTAL_LIMIT));
    }

    /** A row of {@link #PAGE}: the count, and a customer of the page unless the page is empty. */
    private record CountedRow(long total, CustomerView customer) {}

    Mono<Long> count(Visibility visibility, CustomerFilter filter) {
        return filtered(db.sql(COUNT), visibility, filter)
                .map(row -> row.get(0, Long.class))
                .one();
    }

    Mono<Long> countUpTo(Visibility visibility, CustomerFilter filter, long limit) {
        return filtered(db.sql(filter.query() == null ? COUNT_UP_TO : COUNT_SEARCH_UP_TO), visibility, filter)
                .bind("limit", limit)
                .map(row -> row.get(0, Long.class))
                .one();
    }

    Mono<List<CustomerHistory.PoolEventView>> history(String tenant, String customerId) {
        return db.sql(HISTORY)
                .bind("tenant", tenant)
                .bind("id", customerId)
                .map(row -> new CustomerHistory.PoolEventView(
                        row.get("seq", Long.class),
                        row.get("event_id", String.class),
                        row.get("type", String.class),
                        row.get("actor", String.class),
                        row.get("from_owner", String.class),
                        row.get("to_owner", String.class),
                        row.get("pool_id", String.class),
                        row.get("rule", String.class),
                        row.get("reason", String.class),
                        instant(row, "deadline"),
                        instant(row, "occurred_at")))
                .all()
                .collectList();
    }

    private static DatabaseClient.GenericExecuteSpec filtered(
            DatabaseClient.GenericExecuteSpec spec, Visibility visibility, CustomerFilter filter) {
        spec = visibility
                .bind(spec)
                .bind("tenant", visibility.viewer().tenant())
                .bind("defaultPool", visibility.defaultPool());
        spec = text(spec, "query", filter.query());
        spec = text(spec, "pattern", filter.query() == null ? null : containsPattern(filter.query()));
        spec = text(spec, "owner", filter.owner());
        spec = text(spec, "team", filter.team());
        spec = text(spec, "pool", filter.poolId());
        spec = text(spec, "stage", filter.stage());
        spec = text(spec, "level", filter.level());
        spec = text(spec, "source", filter.source());
        spec = text(spec, "campaign", filter.campaign());
        return filter.returnsBefore() == null
                ? spec.bindNull("returnsBefore", OffsetDateTime.class)
                : spec.bind("returnsBefore", filter.returnsBefore().atOffset(ZoneOffset.UTC));
    }

    private static DatabaseClient.GenericExecuteSpec text(
            DatabaseClient.GenericExecuteSpec spec, String name, String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }

    private static String countUpTo(String filter) {
        return "SELECT count(*) FROM (SELECT 1 FROM customer c" + filter + " LIMIT :limit) matches";
    }

    /** An ILIKE pattern matching names that contain {@code query} literally (wildcards escaped). */
    static String containsPattern(String query) {
        String escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }

    private CustomerView toView(Readable row) {
        return new CustomerView(
                row.get("customer_id", String.class),
                row.get("version", Long.class),
                new CustomerView.Company(
                        row.get("company_name", String.class),
                        row.get("credit_code", String.class),
                        row.get("website", String.class),
                        row.get("industry", String.class),
                        row.get("address", String.class)),
                jsonColumn(row, "contacts"),
                jsonColumn(row, "match_keys"),
                Arrays.asList(row.get("lead_ids", String[].class)),
                row.get("source", String.class),
                row.get("campaign", String.class),
                row.get("owner", String.class),
                row.get("team", String.class),
                row.get("pool_id", String.class),
                row.get("stage", String.class),
                row.get("amount", BigDecimal.class),
                row.get("level", String.class),
                instant(row, "first_lead_at"),
                instant(row, "created_at"),
                instant(row, "updated_at"),
                instant(row, "assigned_at"),
                instant(row, "last_follow_up_at"),
                instant(row, "return_deadline"),
                row.get("return_rule", String.class),
                Boolean.TRUE.equals(row.get("locked", Boolean.class)));
    }

    private JsonNode jsonColumn(Readable row, String column) {
        Json value = row.get(column, Json.class);
        return json.readTree(value == null ? "[]" : value.asString());
    }

    private static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
