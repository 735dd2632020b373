package io.leadflow.api.duplicate;

import io.leadflow.api.rules.Visibility;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Match-key lookups over the projected customers ({@code match_keys} jsonb, GIN-indexed) and the identity
 * findings. Lookups see the whole tenant: masking, not filtering, protects customers the caller may not see.
 */
@Repository
class DuplicateRepository {

    static final int MAX_CANDIDATES = 50;

    private static final String CANDIDATE_COLUMNS =
            "c.customer_id, c.company_name, c.credit_code, c.website, c.owner, c.team, c.pool_id, c.stage, c.contacts";

    private static final String BY_KEY = "SELECT " + CANDIDATE_COLUMNS + " FROM customer c"
            + " WHERE c.tenant = :tenant AND c.match_keys @> CAST(:key AS jsonb) LIMIT " + MAX_CANDIDATES;

    private static final String BY_NAME_TOKEN = "SELECT " + CANDIDATE_COLUMNS + " FROM customer c"
            + " WHERE c.tenant = :tenant AND c.company_name ILIKE :pattern LIMIT " + MAX_CANDIDATES;

    private static final String FINDINGS = "SELECT e.seq, e.event_id, e.type, e.customer_id, e.other_customer_id,"
            + " e.lead_id, e.holder, e.intended_owner, e.evidence, e.occurred_at"
            + " FROM identity_event e LEFT JOIN customer c ON c.tenant = e.tenant AND c.customer_id = e.customer_id"
            + " WHERE e.tenant = :tenant AND (CAST(:type AS text) IS NULL OR e.type = :type)"
            + " AND (e.holder = :vUser OR e.intended_owner = :vUser OR (c.customer_id IS NOT NULL AND "
            + Visibility.CONDITION + "))"
            + " AND (NOT :open OR (e.type = 'MERGE_SUGGESTION'"
            + "   AND c.customer_id IS NOT NULL AND c.merged_into IS NULL"
            + "   AND EXISTS (SELECT 1 FROM customer o WHERE o.tenant = e.tenant AND o.customer_id = e.other_customer_id"
            + "     AND o.merged_into IS NULL)))"
            + " ORDER BY e.occurred_at DESC, e.seq DESC LIMIT :limit OFFSET :offset";

    private final DatabaseClient db;
    private final JsonMapper json;

    DuplicateRepository(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** A customer found by a lookup, with its raw contacts. */
    record Candidate(
            String customerId,
            String companyName,
            String creditCode,
            String website,
            String owner,
            String team,
            String poolId,
            String stage,
            List<DuplicateViews.Contact> contacts) {}

    Flux<Candidate> byKey(String tenant, String kind, String value) {
        String key = json.writeValueAsString(List.of(Map.of("kind", kind, "value", value)));
        return db.sql(BY_KEY)
                .bind("tenant", tenant)
                .bind("key", key)
                .map(this::candidate)
                .all();
    }

    Flux<Candidate> byNameToken(String tenant, String token) {
        String escaped = token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return db.sql(BY_NAME_TOKEN)
                .bind("tenant", tenant)
                .bind("pattern", "%" + escaped + "%")
                .map(this::candidate)
                .all();
    }

    Mono<List<DuplicateViews.Finding>> findings(Visibility visibility, String type, boolean open, int page, int size) {
        DatabaseClient.GenericExecuteSpec spec = visibility
                .bind(db.sql(FINDINGS))
                .bind("tenant", visibility.viewer().tenant())
                .bind("open", open)
                .bind("limit", size)
                .bind("offset", (long) page * size);
        spec = type == null ? spec.bindNull("type", String.class) : spec.bind("type", type);
        return spec.map(row -> new DuplicateViews.Finding(
                        row.get("seq", Long.class),
                        row.get("event_id", String.class),
                        row.get("type", String.class),
                        row.get("customer_id", String.class),
                        row.get("other_customer_id", String.class),
                        row.get("lead_id", String.class),
                        row.get("holder", String.class),
                        row.get("intended_owner", String.class),
                        json.readTree(row.get("evidence", Json.class).asString()),
                        row.get("occurred_at", OffsetDateTime.class).toInstant()))
                .all()
                .collectList();
    }

    private Candidate candidate(Readable row) {
        Json contacts = row.get("contacts", Json.class);
        List<DuplicateViews.Contact> list = contacts == null
                ? List.of()
                : List.of(json.readValue(contacts.asString(), DuplicateViews.Contact[].class));
        return new Candidate(
                row.get("customer_id", String.class),
                row.get("company_name", String.class),
                row.get("credit_code", String.class),
                row.get("website", String.class),
                row.get("owner", String.class),
                row.get("team", String.class),
                row.get("pool_id", String.class),
                row.get("stage", String.class),
                list);
    }
}
