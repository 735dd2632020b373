package io.leadflow.api.projection;

import io.leadflow.api.duplicate.MatchFiling;
import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.MatchKey;
import io.leadflow.matching.KeyRules;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.TopicSpec;
import io.leadflow.schemas.Topics;
import io.r2dbc.postgresql.codec.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes customer snapshots into the {@code customer} table. Idempotent and ordered: a row is replaced only
 * by a snapshot with a higher version, so replaying the topic from the start, or receiving an old record
 * late, never moves a row backwards. A tombstone (customer merged away) deletes the row.
 */
@Component
class CustomerRows implements Projector<CustomerSnapshot> {

    private static final String UPSERT = """
            INSERT INTO customer (tenant, customer_id, version, company_name, credit_code, website, industry, address,
                contacts, match_keys, lead_ids, source, campaign, owner, team, pool_id, stage, amount, level,
                first_lead_at, created_at, updated_at, assigned_at, last_follow_up_at, return_deadline, return_rule,
                locked, merged_into, match_blocks, match_fingerprint, match_rules)
            VALUES (:tenant, :customerId, :version, :companyName, :creditCode, :website, :industry, :address,
                :contacts, :matchKeys, :leadIds, :source, :campaign, :owner, :team, :poolId, :stage, :amount, :level,
                :firstLeadAt, :createdAt, :updatedAt, :assignedAt, :lastFollowUpAt, :returnDeadline, :returnRule,
                :locked, :mergedInto, :matchBlocks, :matchFingerprint, :matchRules)
            ON CONFLICT (tenant, customer_id) DO UPDATE SET
                version = EXCLUDED.version, company_name = EXCLUDED.company_name, credit_code = EXCLUDED.credit_code,
                website = EXCLUDED.website, industry = EXCLUDED.industry, address = EXCLUDED.address,
                contacts = EXCLUDED.contacts, match_keys = EXCLUDED.match_keys, lead_ids = EXCLUDED.lead_ids,
                source = EXCLUDED.source, campaign = EXCLUDED.campaign, owner = EXCLUDED.owner, team = EXCLUDED.team,
                pool_id = EXCLUDED.pool_id, stage = EXCLUDED.stage, amount = EXCLUDED.amount, level = EXCLUDED.level,
                first_lead_at = EXCLUDED.first_lead_at, created_at = EXCLUDED.created_at,
                updated_at = EXCLUDED.updated_at, assigned_at = EXCLUDED.assigned_at,
                last_follow_up_at = EXCLUDED.last_follow_up_at, return_deadline = EXCLUDED.return_deadline,
                return_rule = EXCLUDED.return_rule, locked = EXCLUDED.locked, merged_into = EXCLUDED.merged_into,
                match_blocks = EXCLUDED.match_blocks, match_fingerprint = EXCLUDED.match_fingerprint,
                match_rules = EXCLUDED.match_rules
            WHERE customer.version < EXCLUDED.version
            """;

    private static final String DELETE = "DELETE FROM customer WHERE tenant = :tenant AND customer_id = :customerId";

    private final DatabaseClient db;
    private final JsonMapper json;

    CustomerRows(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    @Override
    public TopicSpec<String, CustomerSnapshot> topic() {
        return Topics.CUSTOMERS;
    }

    /** Applies one record of the customers topic: a snapshot, or a tombstone ({@code snapshot == null}). */
    @Override
    public Mono<Optional<Change>> apply(String key, CustomerSnapshot snapshot, long offset) {
        String tenant = Keys.tenantOf(key);
        return write(key, tenant, snapshot)
                .map(rows -> rows > 0 ? Optional.of(new Change(Change.CUSTOMER, tenant)) : Optional.empty());
    }

    private Mono<Long> write(String key, String tenant, CustomerSnapshot snapshot) {
        if (snapshot == null) {
            return db.sql(DELETE)
                    .bind("tenant", tenant)
                    .bind("customerId", key.substring(tenant.length() + 1))
                    .fetch()
                    .rowsUpdated();
        }
        Company company = snapshot.getCompany();
        MatchFiling filing = filing(snapshot);
        DatabaseClient.GenericExecuteSpec spec = db.sql(UPSERT)
                .bind("tenant", snapshot.getTenant())
                .bind("customerId", snapshot.getCustomerId())
                .bind("version", snapshot.getVersion())
                .bind("contacts", Json.of(json.writeValueAsString(contacts(snapshot.getContacts()))))
                .bind("matchKeys", Json.of(json.writeValueAsString(matchKeys(snapshot.getMatchKeys()))))
                .bind("leadIds", snapshot.getLeadIds().toArray(String[]::new))
                .bind("stage", snapshot.getStage())
                .bind("firstLeadAt", timestamp(snapshot.getFirstLeadAt()))
                .bind("createdAt", timestamp(snapshot.getCreatedAt()))
                .bind("updatedAt", timestamp(snapshot.getUpdatedAt()))
                .bind("locked", snapshot.getLocked())
                .bind("matchBlocks", filing.blocks().toArray(String[]::new))
                .bind("matchFingerprint", filing.fingerprint())
                .bind("matchRules", KeyRules.VERSION);
        spec = bindNullable(spec, "companyName", company == null ? null : company.getName(), String.class);
        spec = bindNullable(spec, "creditCode", company == null ? null : company.getCreditCode(), String.class);
        spec = bindNullable(spec, "website", company == null ? null : company.getWebsite(), String.class);
        spec = bindNullable(spec, "industry", company == null ? null : company.getIndustry(), String.class);
        spec = bindNullable(spec, "address", company == null ? null : company.getAddress(), String.class);
        spec = bindNullable(spec, "source", snapshot.getSource(), String.class);
        spec = bindNullable(spec, "campaign", snapshot.getCampaign(), String.class);
        spec = bindNullable(spec, "owner", snapshot.getOwner(), String.class);
        spec = bindNullable(spec, "team", snapshot.getTeam(), String.class);
        spec = bindNullable(spec, "poolId", snapshot.getPoolId(), String.class);
        spec = bindNullable(spec, "amount", snapshot.getAmount(), BigDecimal.class);
        spec = bindNullable(spec, "level", snapshot.getLevel(), String.class);
        spec = bindNullable(spec, "assignedAt", timestamp(snapshot.getAssignedAt()), OffsetDateTime.class);
        spec = bindNullable(spec, "lastFollowUpAt", timestamp(snapshot.getLastFollowUpAt()), OffsetDateTime.class);
        spec = bindNullable(spec, "returnDeadline", timestamp(snapshot.getReturnDeadline()), OffsetDateTime.class);
        spec = bindNullable(spec, "returnRule", snapshot.getReturnRule(), String.class);
        spec = bindNullable(spec, "mergedInto", snapshot.getMergedInto(), String.class);
        return spec.fetch().rowsUpdated();
    }

    /** How 查重 finds the customer: its company and first contact, as the matching engine files them. */
    private static MatchFiling filing(CustomerSnapshot snapshot) {
        Company company = snapshot.getCompany();
        Contact contact =
                snapshot.getContacts().isEmpty() ? null : snapshot.getContacts().get(0);
        return MatchFiling.of(
                company == null ? null : company.getName(),
                company == null ? null : company.getCreditCode(),
                company == null ? null : company.getWebsite(),
                contact == null ? null : contact.getEmail(),
                contact == null ? null : contact.getPhone(),
                contact == null ? null : contact.getMobile());
    }

    private static <T> DatabaseClient.GenericExecuteSpec bindNullable(
            DatabaseClient.GenericExecuteSpec spec, String name, T value, Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static List<Map<String, String>> contacts(List<Contact> contacts) {
        return contacts.stream()
                .map(contact -> {
                    Map<String, String> fields = new LinkedHashMap<>();
                    putIfPresent(fields, "name", contact.getName());
                    putIfPresent(fields, "title", contact.getTitle());
                    putIfPresent(fields, "phone", contact.getPhone());
                    putIfPresent(fields, "mobile", contact.getMobile());
                    putIfPresent(fields, "email", contact.getEmail());
                    return fields;
                })
                .toList();
    }

    private static List<Map<String, String>> matchKeys(List<MatchKey> keys) {
        return keys.stream()
                .map(key -> Map.of("kind", key.getKind().name(), "value", key.getValue()))
                .toList();
    }

    private static void putIfPresent(Map<String, String> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }
}
