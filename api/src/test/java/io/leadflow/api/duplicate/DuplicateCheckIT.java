package io.leadflow.api.duplicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadflow.api.TestApi;
import io.leadflow.api.auth.Role;
import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.MatchKey;
import io.leadflow.avro.MatchKeyKind;
import io.leadflow.matching.InMemoryMatchIndex;
import io.leadflow.matching.Match;
import io.leadflow.matching.MatchEngine;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.SharedKafka;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * 查重 decides as the matching engine does: over the customers of {@code duplicate-check.tsv}, projected through
 * the real topic into PostgreSQL, every check of the corpus finds the customers and verdicts the file expects,
 * and the same as {@link MatchEngine#check} over an in-memory index of the same customers (which is what the
 * processor decides with).
 */
class DuplicateCheckIT {

    private static final String TENANT = "dup-" + UUID.randomUUID().toString().substring(0, 8);
    private static final MatchEngine ENGINE = MatchFiling.ENGINE;

    private record Check(Map<String, String> fields, String expected) {}

    private static final List<Check> CHECKS = new ArrayList<>();
    private static final InMemoryMatchIndex INDEX = new InMemoryMatchIndex();
    private static WebTestClient admin;

    @BeforeAll
    static void projectTheCorpus() throws IOException {
        TestApi.api();
        admin = TestApi.as(TENANT, "root", null, Role.ADMIN);
        String lastCustomer = null;
        Instant createdAt = Instant.parse("2026-11-01T00:00:00Z");
        for (String line : corpus()) {
            String[] columns = line.split("\t", -1);
            if (columns[0].equals("customer")) {
                Map<String, String> fields = fields(columns[2]);
                ENGINE.remember(ENGINE.prepare(fields), columns[1], INDEX);
                createdAt = createdAt.plusSeconds(60);
                CustomerSnapshot customer = snapshot(columns[1], fields, createdAt);
                SharedKafka.client().produce(Topics.CUSTOMERS, Keys.customer(TENANT, columns[1]), customer);
                lastCustomer = columns[1];
            } else {
                CHECKS.add(new Check(fields(columns[1]), columns[2]));
            }
        }
        String last = lastCustomer;
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> admin.get()
                        .uri("/api/v1/customers/" + last)
                        .exchange()
                        .expectStatus()
                        .isOk());
    }

    @Test
    void everyCheckOfTheCorpusFindsWhatTheMatchingEngineFinds() {
        assertThat(CHECKS).hasSizeGreaterThan(10);
        for (Check check : CHECKS) {
            List<String> found = matches(admin, request(check.fields()));
            List<String> engine = ENGINE.check(check.fields(), INDEX).stream()
                    .map(match -> match.customerId() + ":" + match.verdict())
                    .toList();

            assertThat(String.join(" ", found)).as("api for %s", check.fields()).isEqualTo(check.expected());
            assertThat(found).as("engine for %s", check.fields()).isEqualTo(engine);
        }
    }

    @Test
    void eachMatchCarriesTheEnginesEvidence() {
        Map<String, String> fields = fields("email=Wang.Wei@XINGYUN.cn|name=星云科技(上海)有限公司");
        Match strongest = ENGINE.check(fields, INDEX).get(0);

        admin.post()
                .uri("/api/v1/duplicate-checks")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request(fields))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.keys[0].kind")
                .isEqualTo("EMAIL")
                .jsonPath("$.matches[0].customerId")
                .isEqualTo(strongest.customerId())
                .jsonPath("$.matches[0].score")
                .isEqualTo(1.0)
                .jsonPath("$.matches[0].evidence[0].kind")
                .isEqualTo("EMAIL")
                .jsonPath("$.matches[0].evidence[0].field")
                .isEqualTo("email")
                .jsonPath("$.matches[0].evidence[0].value")
                .isEqualTo("wang.wei@xingyun.cn")
                .jsonPath("$.matches[0].evidence[0].rule")
                .isEqualTo(strongest.evidence().get(0).rule());
    }

    /** The matches a 查重 with {@code body} answers, each as customer id and verdict ({@code c-1:SAME}), in order. */
    static List<String> matches(WebTestClient client, Map<String, String> body) {
        JsonNode answer = client.post()
                .uri("/api/v1/duplicate-checks")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        List<String> found = new ArrayList<>();
        answer.get("matches")
                .forEach(match -> found.add(match.get("customerId").asString() + ":"
                        + match.get("verdict").asString()));
        return found;
    }

    /** A 查重 body; the corpus's {@code mobile} goes in {@code phone}, the only phone field of a check. */
    private static Map<String, String> request(Map<String, String> fields) {
        Map<String, String> body = new LinkedHashMap<>(fields);
        String mobile = body.remove("mobile");
        if (mobile != null) {
            body.putIfAbsent("phone", mobile);
        }
        return body;
    }

    /** A customer as the processor writes it: the record's fields, and the engine's keys as match keys. */
    private static CustomerSnapshot snapshot(String customerId, Map<String, String> fields, Instant createdAt) {
        List<MatchKey> keys = ENGINE.prepare(fields).matchKeys().stream()
                .map(key -> new MatchKey(MatchKeyKind.valueOf(key.kind().name()), key.value()))
                .toList();
        return CustomerSnapshot.newBuilder()
                .setTenant(TENANT)
                .setCustomerId(customerId)
                .setVersion(1)
                .setCompany(Company.newBuilder()
                        .setName(fields.get("name"))
                        .setCreditCode(fields.get("creditCode"))
                        .setWebsite(fields.get("website"))
                        .build())
                .setContacts(List.of(Contact.newBuilder()
                        .setEmail(fields.get("email"))
                        .setPhone(fields.get("phone"))
                        .setMobile(fields.get("mobile"))
                        .build()))
                .setMatchKeys(keys)
                .setLeadIds(List.of("l-" + customerId))
                .setFirstLeadAt(createdAt)
                .setCreatedAt(createdAt)
                .setUpdatedAt(createdAt)
                .build();
    }

    private static Map<String, String> fields(String spec) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : spec.split("\\|")) {
            int equals = part.indexOf('=');
            fields.put(part.substring(0, equals), part.substring(equals + 1));
        }
        return fields;
    }

    private static List<String> corpus() throws IOException {
        try (InputStream in = DuplicateCheckIT.class.getResourceAsStream("/duplicate-check.tsv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .collect(Collectors.toList());
        }
    }
}
