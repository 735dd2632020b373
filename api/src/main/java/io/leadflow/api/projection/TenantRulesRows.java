package io.leadflow.api.projection;

import io.leadflow.api.rules.RulesDocument;
import io.leadflow.avro.TenantRules;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.TopicSpec;
import io.leadflow.schemas.Topics;
import io.r2dbc.postgresql.codec.Json;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps each tenant's latest rules (pools, members, capacities, stages) in {@code tenant_rules}, replaced only
 * by a higher version; the pool queries and permission checks read them.
 */
@Component
class TenantRulesRows implements Projector<TenantRules> {

    private static final String UPSERT = """
            INSERT INTO tenant_rules (tenant, version, rules, updated_at)
            VALUES (:tenant, :version, :rules, :updatedAt)
            ON CONFLICT (tenant) DO UPDATE SET
                version = EXCLUDED.version, rules = EXCLUDED.rules, updated_at = EXCLUDED.updated_at
            WHERE tenant_rules.version < EXCLUDED.version
            """;

    private final DatabaseClient db;
    private final JsonMapper json;

    TenantRulesRows(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    @Override
    public TopicSpec<String, TenantRules> topic() {
        return Topics.TENANT_RULES;
    }

    @Override
    public Mono<Optional<Change>> apply(String key, TenantRules rules, long offset) {
        String tenant = Keys.tenantOf(key);
        Mono<Long> write = rules == null
                ? db.sql("DELETE FROM tenant_rules WHERE tenant = :tenant")
                        .bind("tenant", tenant)
                        .fetch()
                        .rowsUpdated()
                : Bind.instant(
                                db.sql(UPSERT)
                                        .bind("tenant", tenant)
                                        .bind("version", rules.getVersion())
                                        .bind("rules", Json.of(json.writeValueAsString(RulesDocument.of(rules)))),
                                "updatedAt",
                                rules.getUpdatedAt())
                        .fetch()
                        .rowsUpdated();
        return write.map(rows -> rows > 0 ? Optional.of(new Change(Change.RULES, tenant)) : Optional.empty());
    }
}
