package io.leadflow.api.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadflow.api.TestApi;
import io.leadflow.api.auth.Role;
import io.leadflow.api.duplicate.MatchFiling;
import io.leadflow.avro.Company;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.matching.KeyRules;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.SharedKafka;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The customer projection on a real broker and a real PostgreSQL (schema by Flyway): ordered by version,
 * idempotent under replay, tombstones delete, and the queries read it back within the token's tenant.
 */
class CustomerProjectionIT {

    private static final String TENANT = "proj-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Duration PROJECTED_WITHIN = Duration.ofSeconds(30);

    private static WebTestClient client;

    @BeforeAll
    static void startApi() {
        TestApi.api();
        client = TestApi.as(TENANT, "alice", null, Role.ADMIN);
    }

    @Test
    void anOlderSnapshotNeverOverwritesANewerOne() {
        publish(snapshot("c-ordered", 1, "星云科技 (old name)"));
        publish(snapshot("c-ordered", 2, "上海星云科技有限公司"));
        publish(snapshot("c-ordered", 1, "星云科技 (old name)"));
        publish(snapshot("c-marker", 1, "Marker Ltd"));

        awaitVisible("c-marker");
        client.get()
                .uri("/api/v1/customers/c-ordered")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.version")
                .isEqualTo(2)
                .jsonPath("$.company.name")
                .isEqualTo("上海星云科技有限公司")
                .jsonPath("$.amount")
                .isEqualTo(1200.5)
                .jsonPath("$.contacts[0].email")
                .isEqualTo("wang.wei@example.cn")
                .jsonPath("$.matchKeys[0].kind")
                .isEqualTo("EMAIL");
    }

    @Test
    void aTombstoneRemovesTheCustomer() {
        publish(snapshot("c-merged-away", 1, "Merged Away GmbH"));
        awaitVisible("c-merged-away");

        SharedKafka.client().produce(Topics.CUSTOMERS, Keys.customer(TENANT, "c-merged-away"), null);

        await().atMost(PROJECTED_WITHIN)
                .untilAsserted(() -> client.get()
                        .uri("/api/v1/customers/c-merged-away")
                        .exchange()
                        .expectStatus()
                        .isNotFound());
    }

    @Test
    void searchesNamesLiterallyAndPages() {
        publish(snapshot("c-search-1", 1, "100% Organic 有限公司"));
        publish(snapshot("c-search-2", 1, "Organic Farms Inc."));
        awaitVisible("c-search-2");
        awaitVisible("c-search-1");

        client.get()
                .uri("/api/v1/customers?q=organic&size=1&page=1")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(2)
                .jsonPath("$.items.length()")
                .isEqualTo(1)
                .jsonPath("$.page")
                .isEqualTo(1);
        client.get()
                .uri("/api/v1/customers?q={q}", "100%")
                .exchange()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(1)
                .jsonPath("$.items[0].customerId")
                .isEqualTo("c-search-1");
        client.get()
                .uri("/api/v1/customers?q={q}", "_rganic")
                .exchange()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(0);
    }

    @Test
    void refusesBadPagingParameters() {
        client.get()
                .uri("/api/v1/customers?size=0")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.parameter")
                .isEqualTo("size");
        client.get().uri("/api/v1/customers?page=-1").exchange().expectStatus().isBadRequest();
        client.get().uri("/api/v1/customers?page=abc").exchange().expectStatus().isBadRequest();
    }

    @Test
    void customersFiledUnderOtherKeyRulesAreFiledAgainOncePerRulesVersion() {
        publish(snapshot("c-unfiled", 1, "上海星云科技有限公司"));
        publish(snapshot("c-old-rules", 1, "天津川中泰机械有限公司"));
        publish(snapshot("c-current", 1, "北京银河科技有限公司"));
        awaitVisible("c-unfiled");
        awaitVisible("c-old-rules");
        awaitVisible("c-current");
        DatabaseClient db = TestApi.api().getBean(DatabaseClient.class);
        // As V5 left rows projected before 查重 used the engine, as key rules 2 filed a trade name, and a current row.
        refile(db, "c-unfiled", "'{}'", "NULL", "NULL");
        refile(db, "c-old-rules", "'{name:川中,name:中泰}'", "'old'", "2");
        refile(db, "c-current", "'{}'", "'left alone'", String.valueOf(KeyRules.VERSION));
        db.sql("DELETE FROM match_filing_pass").fetch().rowsUpdated().block();
        MatchFilingBackfill backfill = TestApi.api().getBean(MatchFilingBackfill.class);

        assertThat(backfill.fileAll().block()).isGreaterThanOrEqualTo(2);

        MatchFiling unfiled = MatchFiling.of("上海星云科技有限公司", null, null, "wang.wei@example.cn", null, null);
        assertThat(filing(db, "c-unfiled"))
                .isEqualTo(List.of(String.join(" ", unfiled.blocks()), unfiled.fingerprint(), KeyRules.VERSION));
        assertThat(unfiled.blocks()).isNotEmpty();
        MatchFiling rekeyed = MatchFiling.of("天津川中泰机械有限公司", null, null, "wang.wei@example.cn", null, null);
        assertThat(filing(db, "c-old-rules"))
                .isEqualTo(List.of(String.join(" ", rekeyed.blocks()), rekeyed.fingerprint(), KeyRules.VERSION));
        assertThat(rekeyed.blocks()).contains("name:川*泰");
        assertThat(filing(db, "c-current")).isEqualTo(List.of("", "left alone", KeyRules.VERSION));

        // The pass reached the end under these rules: the next start reads nothing.
        refile(db, "c-unfiled", "'{}'", "NULL", "NULL");
        assertThat(backfill.fileAll().block()).isZero();
        assertThat(filing(db, "c-unfiled").get(1)).isNull();
    }

    private static void refile(DatabaseClient db, String customerId, String blocks, String fingerprint, String rules) {
        db.sql("UPDATE customer SET match_blocks = " + blocks + ", match_fingerprint = " + fingerprint
                        + ", match_rules = " + rules + " WHERE tenant = :tenant AND customer_id = :customerId")
                .bind("tenant", TENANT)
                .bind("customerId", customerId)
                .fetch()
                .rowsUpdated()
                .block();
    }

    /** Blocks (space-separated), fingerprint and rules a customer is filed with. */
    private static List<Object> filing(DatabaseClient db, String customerId) {
        Map<String, Object> row = db.sql("SELECT array_to_string(match_blocks, ' ') AS blocks, match_fingerprint,"
                        + " match_rules FROM customer WHERE tenant = :tenant AND customer_id = :customerId")
                .bind("tenant", TENANT)
                .bind("customerId", customerId)
                .fetch()
                .one()
                .block();
        return java.util.Arrays.asList(row.get("blocks"), row.get("match_fingerprint"), row.get("match_rules"));
    }

    private static void awaitVisible(String customerId) {
        await().atMost(PROJECTED_WITHIN)
                .untilAsserted(() -> client.get()
                        .uri("/api/v1/customers/{id}", customerId)
                        .exchange()
                        .expectStatus()
                        .isOk());
    }

    private static void publish(CustomerSnapshot snapshot) {
        SharedKafka.client().produce(Topics.CUSTOMERS, Keys.customer(TENANT, snapshot.getCustomerId()), snapshot);
    }

    private static CustomerSnapshot snapshot(String customerId, long version, String name) {
        Instant at = Instant.parse("2026-11-27T08:00:00Z").plusSeconds(version);
        return CustomerSnapshot.newBuilder()
                .setTenant(TENANT)
                .setCustomerId(customerId)
                .setVersion(version)
                .setCompany(Company.newBuilder().setName(name).build())
                .setContacts(List.of(io.leadflow.avro.Contact.newBuilder()
                        .setEmail("wang.wei@example.cn")
                        .build()))
                .setMatchKeys(List.of(
                        new io.leadflow.avro.MatchKey(io.leadflow.avro.MatchKeyKind.EMAIL, "wang.wei@example.cn")))
                .setLeadIds(List.of("l-" + customerId))
                .setAmount(new BigDecimal("1200.50"))
                .setFirstLeadAt(at)
                .setCreatedAt(at)
                .setUpdatedAt(at)
                .build();
    }
}
