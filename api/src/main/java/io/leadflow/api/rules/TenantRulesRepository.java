package io.leadflow.api.rules;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Reads the projected tenant rules. */
@Repository
class TenantRulesRepository {

    private final DatabaseClient db;
    private final JsonMapper json;

    TenantRulesRepository(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    Mono<RulesDocument> find(String tenant) {
        return db.sql("SELECT rules::text AS rules FROM tenant_rules WHERE tenant = :tenant")
                .bind("tenant", tenant)
                .map(row -> json.readValue(row.get("rules", String.class), RulesDocument.class))
                .one();
    }
}
