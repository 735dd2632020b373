package io.leadflow.api.customer;

import io.leadflow.api.rules.SqlCondition;
import io.leadflow.api.rules.Visibility;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * One page in two steps: the matches' ids in order, then their rows. Every column that the filters of a free-text
     * search, a stage or an owner and the visibility rule test is in an index ({@code customer_tenant_recent}, {@code
     * customer_tenant_stage_recent}, {@code customer_tenant_owner_recent}), so the first step can find the page in
     * the index alone, however many rows it passes; asking for every column at once made PostgreSQL read each of
     * those rows from the table (some 2,100 for a salesperson's two-character search, for 20 matches).
     */
    private static String search(String where) {
        return "SELECT " + COLUMNS + " FROM (SELECT c.customer_id, c.updated_at FROM customer c WHERE " + where
                + " ORDER BY c.updated_at DESC, c.customer_id LIMIT :limit OFFSET :offset)"
                + " found JOIN customer c ON c.tenant = :tenant AND c.customer_id = found.customer_id"
                + " ORDER BY found.updated_at DESC, found.customer_id";
    }

    /** Stops counting at {@code :countLimit}: a broad filter need not scan every customer of a large tenant. */
    private static String countUpTo(String where) {
        return "SELECT count(*) FROM (SELECT 1 FROM customer c WHERE " + where + " LIMIT :countLimit) matches";
    }

    /**
     * One page and its matches counted up to {@code :countLimit}, in one statement: one round trip and one
     * connection per listing instead of two. The count (one row) is joined to the page (none or more rows), so an
     * empty page still answers the count; each part is planned as it would be alone.
     */
    private static String countedPage(String where) {
        return "SELECT counted.total, page.* FROM (SELECT count(*) AS total FROM (SELECT 1 FROM customer c WHERE "
                + where + " LIMIT :countLimit) matches) counted LEFT JOIN LATERAL (" + search(where)
                + ") page ON true ORDER BY page.updated_at DESC, page.customer_id";
    }

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

    /**
     * One page of the matches, newest first, and how many there are (up to {@link CustomerPage#TOTAL_LIMIT}, then
     * "more"). A filtered listing's page and count each read a few dozen index entries and share one statement. A
     * free-text search reads its page and one match more, to tell whether more follow ({@link
     * CustomerPage#uncounted}); with {@code countSearch} its matches are counted too, up to {@link
     * CustomerPage#SEARCH_TOTAL_LIMIT}, at once on a second connection (the count reads a few hundred rows after
     * listing every name with the query's characters, the page a few thousand index entries; one statement was
     * measured no faster, docs/benchmarks.md). A page after the last match is counted, to say where the matches end.
     */
    Mono<CustomerPage> page(Visibility visibility, CustomerFilter filter, int page, int size, boolean countSearch) {
        if (filter.query() != null) {
            SqlCondition listed = where(visibility, filter, false);
            Mono<List<CustomerView>> found = db.sql(search(listed.sql()))
                    .bindValues(listed.values())
                    .bind("limit", countSearch ? size : size + 1)
                    .bind("offset", (long) page * size)
                    .map(this::toView)
                    .all()
                    .collectList();
            if (countSearch) {
                return found.zipWith(countUpTo(visibility, filter, CustomerPage.SEARCH_TOTAL_LIMIT + 1))
                        .map(both -> CustomerPage.of(
                                both.getT1(), page, size, both.getT2(), CustomerPage.SEARCH_TOTAL_LIMIT));
            }
            return found.flatMap(matches -> matches.isEmpty() && page > 0
                    ? page(visibility, filter, page, size, true)
                    : Mono.just(CustomerPage.uncounted(matches, page, size)));
        }
        SqlCondition listed = where(visibility, filter, false);
        return db.sql(countedPage(listed.sql()))
                .bindValues(listed.values())
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

    /** A row of {@link #countedPage}: the count, and a customer of the page unless the page is empty. */
    private record CountedRow(long total, CustomerView customer) {}

    Mono<Long> count(Visibility visibility, CustomerFilter filter) {
        SqlCondition counted = where(visibility, filter, false);
        return db.sql("SELECT count(*) FROM customer c WHERE " + counted.sql())
                .bindValues(counted.values())
                .map(row -> row.get(0, Long.class))
                .one();
    }

    Mono<Long> countUpTo(Visibility visibility, CustomerFilter filter, long limit) {
        SqlCondition counted = where(visibility, filter, filter.query() != null);
        return db.sql(countUpTo(counted.sql()))
                .bindValues(counted.values())
                .bind("countLimit", limit)
                .map(row -> row.get(0, Long.class))
                .one();
    }

    /**
     * The conditions of a listing: its tenant, what the viewer may see and each filter given, and no others: a
     * statement with every filter as {@code (:x IS NULL OR c.x = :x)} took PostgreSQL about a millisecond to plan,
     * as long as the stage listing took to execute (docs/benchmarks.md, issue 7).
     *
     * <p>To count the matches of a free-text query ({@code countingSearch}), the visibility condition is wrapped in
     * {@code IS TRUE} (the same rows pass) so that PostgreSQL cannot answer it from an index. Otherwise it intersected
     * the query's matches with the bitmap of every public-pool customer (600,000 at a million) before counting the
     * first few hundred, which a bitmap of the query's matches alone reaches by reading a few hundred rows.
     */
    private static SqlCondition where(Visibility visibility, CustomerFilter filter, boolean countingSearch) {
        Map<String, Object> values = new HashMap<>();
        StringBuilder where = new StringBuilder("c.tenant = :tenant");
        values.put("tenant", visibility.viewer().tenant());
        SqlCondition visible = visibility.condition();
        if (!visible.always()) {
            where.append(" AND ").append(visible.sql()).append(countingSearch ? " IS TRUE" : "");
            values.putAll(visible.values());
        }
        if (filter.query() != null) {
            where.append(" AND ").append(NAME_CONTAINS_QUERY);
            values.put("query", filter.query());
            values.put("pattern", containsPattern(filter.query()));
        }
        equal(where, values, "owner", filter.owner());
        equal(where, values, "team", filter.team());
        if (filter.poolId() != null) {
            where.append(
                    filter.poolId().equals(visibility.defaultPool())
                            ? " AND c.owner IS NULL AND (c.pool_id = :pool OR c.pool_id IS NULL)"
                            : " AND c.owner IS NULL AND c.pool_id = :pool");
            values.put("pool", filter.poolId());
        }
        equal(where, values, "stage", filter.stage());
        equal(where, values, "level", filter.level());
        equal(where, values, "source", filter.source());
        equal(where, values, "campaign", filter.campaign());
        if (filter.returnsBefore() != null) {
            where.append(" AND c.return_deadline <= :returnsBefore");
            values.put("returnsBefore", filter.returnsBefore().atOffset(ZoneOffset.UTC));
        }
        return new SqlCondition(where.toString(), values);
    }

    private static void equal(StringBuilder where, Map<String, Object> values, String column, String value) {
        if (value != null) {
            where.append(" AND c.").append(column).append(" = :").append(column);
            values.put(column, value);
        }
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
