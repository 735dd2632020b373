package io.leadflow.api.customer;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the customer projection; every query is scoped to one tenant. */
@Repository
class CustomerRepository {

    private static final String COLUMNS = "customer_id, version, company_name, credit_code, website, industry,"
            + " address, contacts, match_keys, lead_ids, source, campaign, owner, team, pool_id, stage, amount,"
            + " level, first_lead_at, created_at, updated_at, assigned_at, last_follow_up_at, return_deadline,"
            + " return_rule, locked";

    private static final String BY_ID =
            "SELECT " + COLUMNS + " FROM customer WHERE tenant = :tenant AND customer_id = :id";

    private static final String SEARCH = "SELECT " + COLUMNS + " FROM customer"
            + " WHERE tenant = :tenant AND (CAST(:pattern AS text) IS NULL OR company_name ILIKE :pattern)"
            + " ORDER BY updated_at DESC, customer_id LIMIT :limit OFFSET :offset";

    private static final String COUNT = "SELECT count(*) FROM customer"
            + " WHERE tenant = :tenant AND (CAST(:pattern AS text) IS NULL OR company_name ILIKE :pattern)";

    private final DatabaseClient db;
    private final JsonMapper json;

    CustomerRepository(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    Mono<CustomerView> findById(String tenant, String customerId) {
        return db.sql(BY_ID)
                .bind("tenant", tenant)
                .bind("id", customerId)
                .map(this::toView)
                .one();
    }

    Mono<List<CustomerView>> search(String tenant, String query, int page, int size) {
        return withPattern(db.sql(SEARCH).bind("tenant", tenant), query)
                .bind("limit", size)
                .bind("offset", (long) page * size)
                .map(this::toView)
                .all()
                .collectList();
    }

    Mono<Long> count(String tenant, String query) {
        return withPattern(db.sql(COUNT).bind("tenant", tenant), query)
                .map(row -> row.get(0, Long.class))
                .one();
    }

    private static DatabaseClient.GenericExecuteSpec withPattern(DatabaseClient.GenericExecuteSpec spec, String query) {
        return query == null ? spec.bindNull("pattern", String.class) : spec.bind("pattern", containsPattern(query));
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
