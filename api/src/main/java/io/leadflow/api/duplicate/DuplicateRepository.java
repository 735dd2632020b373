package io.leadflow.api.duplicate;

import io.leadflow.api.rules.Visibility;
import io.leadflow.matching.MatchKey;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The matching engine's index over the projected customers of one tenant, and the identity findings. Exact keys
 * are looked up in {@code match_keys} (jsonb, GIN-indexed), blocking keys in {@code match_blocks} (text[],
 * GIN-indexed), each in one statement for all keys of a request. Lookups see the whole tenant: masking, not
 * filtering, protects customers the caller may not see.
 */
@Repository
class DuplicateRepository {

    private static final String CANDIDATE_COLUMNS = "c.customer_id, c.company_name, c.credit_code, c.website,"
            + " c.owner, c.team, c.pool_id, c.stage, c.contacts, c.match_fingerprint";

    /**
     * The holder of each key: of the customers listing it, the first created (the processor gives a key to the
     * first customer that has it, and later leads with it join that customer).
     */
    private static final String HOLDERS = "SELECT k.key, " + CANDIDATE_COLUMNS
            + " FROM unnest(CAST(:keys AS text[])) AS k(key) CROSS JOIN LATERAL ("
            + "   SELECT * FROM customer c WHERE c.tenant = :tenant AND c.merged_into IS NULL"
            + "   AND c.match_keys @> CAST(k.key AS jsonb) ORDER BY c.created_at, c.customer_id LIMIT 1) c";

    /**
     * The customers filed under each blocking key, up to {@code :limit} of them, first by customer id ({@code
     * V11__customer_block_entries.sql}); with {@code :stopUnits}, a key that holds {@code :limit} customers answers
     * one row with none ({@code full}), since the engine will not read them. A key nobody is filed under answers one
     * row with none and {@code full} null. The ids are compared in the customer table's collation: in {@code
     * customer_block}'s ({@code "C"}) the primary key could not find them, and every customer of the tenant was read.
     */
    private static final String FILED = "SELECT q.block, cardinality(f.ids) >= :limit AS full, " + CANDIDATE_COLUMNS
            + " FROM unnest(CAST(:blocks AS text[])) AS q(block)"
            + " CROSS JOIN LATERAL (SELECT array_agg(e.customer_id) AS ids FROM (SELECT b.customer_id"
            + "   FROM customer_block b WHERE b.tenant = :tenant AND b.block = q.block ORDER BY b.customer_id"
            + "   LIMIT :limit) e) f"
            + " LEFT JOIN LATERAL (SELECT * FROM customer c WHERE c.tenant = :tenant"
            + "   AND c.customer_id = ANY(f.ids COLLATE \"default\")"
            + "   AND NOT (:stopUnits AND cardinality(f.ids) >= :limit)) c ON true";

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

    /**
     * A customer found by a lookup, with its contacts as stored (JSON, read with {@link #contacts} only for the
     * customers a check answers with: most of the up to 64 a blocking key finds are not) and the fingerprint it is
     * filed with.
     */
    record Candidate(
            String customerId,
            String companyName,
            String creditCode,
            String website,
            String owner,
            String team,
            String poolId,
            String stage,
            String contactsJson,
            String fingerprint) {}

    /** A customer found under a key or blocking key ({@code by}). */
    record Found(String by, Candidate candidate, boolean full) {
        Found(String by, Candidate candidate) {
            this(by, candidate, false);
        }

        /** A block that holds no customer to read ({@code full} when it holds too many). */
        Found(String by, boolean full) {
            this(by, null, full);
        }
    }

    /** The holder of each of {@code keys} that has one. */
    Mono<List<Found>> holders(String tenant, List<MatchKey> keys) {
        if (keys.isEmpty()) {
            return Mono.just(List.of());
        }
        String[] values = keys.stream().map(this::keyValue).toArray(String[]::new);
        return db.sql(HOLDERS)
                .bind("tenant", tenant)
                .bind("keys", values)
                .map(row -> new Found(row.get("key", String.class), candidate(row)))
                .all()
                .collectList();
    }

    /**
     * The customers filed under each of {@code blocks}, at most {@code limit} a block; with {@code stopUnits}, the
     * blocks that hold {@code limit} or more instead, without their customers.
     */
    Mono<Filing> filed(String tenant, Collection<String> blocks, int limit, boolean stopUnits) {
        if (blocks.isEmpty()) {
            return Mono.just(new Filing(List.of(), Set.of()));
        }
        return db.sql(FILED)
                .bind("tenant", tenant)
                .bind("blocks", blocks.toArray(String[]::new))
                .bind("limit", limit)
                .bind("stopUnits", stopUnits)
                .map(row -> row.get("customer_id", String.class) != null
                        ? new Found(row.get("block", String.class), candidate(row))
                        : new Found(
                                row.get("block", String.class), Boolean.TRUE.equals(row.get("full", Boolean.class))))
                .all()
                .collectList()
                .map(rows -> new Filing(
                        rows.stream().filter(found -> found.candidate() != null).toList(),
                        rows.stream().filter(Found::full).map(Found::by).collect(Collectors.toUnmodifiableSet())));
    }

    /** What {@link #filed} found: customers under each block, and the blocks too full to read. */
    record Filing(List<Found> filed, Set<String> fullBlocks) {}

    /** The jsonb containment value {@link #holders} looks {@code key} up by, and answers as {@code by}. */
    String keyValue(MatchKey key) {
        return json.writeValueAsString(List.of(Map.of("kind", key.kind().name(), "value", key.value())));
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

    /** The contacts of a customer a lookup found, unmasked. */
    List<DuplicateViews.Contact> contacts(Candidate candidate) {
        return candidate.contactsJson() == null
                ? List.of()
                : List.of(json.readValue(candidate.contactsJson(), DuplicateViews.Contact[].class));
    }

    private static Candidate candidate(Readable row) {
        Json contacts = row.get("contacts", Json.class);
        return new Candidate(
                row.get("customer_id", String.class),
                row.get("company_name", String.class),
                row.get("credit_code", String.class),
                row.get("website", String.class),
                row.get("owner", String.class),
                row.get("team", String.class),
                row.get("pool_id", String.class),
                row.get("stage", String.class),
                contacts == null ? null : contacts.asString(),
                row.get("match_fingerprint", String.class));
    }
}
