package io.leadflow.api.projection;

import static io.leadflow.api.Fixtures.anOwnerFigures;
import static io.leadflow.api.Fixtures.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadflow.api.TestApi;
import io.leadflow.api.auth.Role;
import io.leadflow.avro.OwnerFigures;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The owner-figures projection on a real broker and a real PostgreSQL: a figure replaces an owner's row only with a
 * higher sequence, so a late older figure never overwrites a newer one and replaying the topic gives the same rows;
 * a tombstone deletes. And {@code GET /api/v1/owners/{user}/figures} serves them: a salesperson their own, a manager
 * any owner's; figures of an earlier day read as no claims today.
 */
class OwnerFiguresProjectionIT {

    private static final String TENANT = "figs-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Duration PROJECTED_WITHIN = Duration.ofSeconds(30);

    private static WebTestClient admin;

    @BeforeAll
    static void startApi() {
        TestApi.api();
        admin = TestApi.as(TENANT, "root", null, Role.ADMIN);
    }

    @Test
    void anOlderFigureNeverOverwritesANewerOne() {
        List<String> owners = ownersInOnePartition(2);
        String owner = owners.get(0);
        publish(anOwnerFigures(TENANT, owner, 1, 1).build());
        publish(anOwnerFigures(TENANT, owner, 3, 3).build());
        publish(anOwnerFigures(TENANT, owner, 2, 2).build());
        publish(anOwnerFigures(TENANT, owners.get(1), 1, 1).build()); // after the others in their partition

        awaitSequence(owners.get(1), 1);
        figures(owner).jsonPath("$.sequence").isEqualTo(3).jsonPath("$.held").isEqualTo(3);
    }

    @Test
    void replayingTheTopicGivesTheSameRows() {
        List<String> owners = ownersInOnePartition(4);
        String marker = owners.get(3);
        List<OwnerFigures> history = new ArrayList<>();
        for (int sequence = 1; sequence <= 4; sequence++) {
            for (String owner : owners.subList(0, 3)) {
                history.add(anOwnerFigures(TENANT, owner, sequence, sequence * 2L)
                        .setTeam(sequence % 2 == 0 ? "east" : null)
                        .setCapacity(sequence == 3 ? null : 10)
                        .build());
            }
        }
        history.add(history.remove(4)); // one older figure arrives late
        history.forEach(figures -> publish(figures));
        publish(anOwnerFigures(TENANT, marker, 1, 0).build());
        awaitSequence(marker, 1);
        List<Map<String, Object>> projected = rows(owners.subList(0, 3));
        assertThat(projected)
                .hasSize(3)
                .allSatisfy(row -> assertThat(row.get("sequence")).isEqualTo(4L));

        history.forEach(figures -> publish(figures));
        publish(anOwnerFigures(TENANT, marker, 2, 0).build());
        awaitSequence(marker, 2);

        assertThat(rows(owners.subList(0, 3))).isEqualTo(projected);
    }

    @Test
    void aTombstoneDeletesTheRow() {
        publish(anOwnerFigures(TENANT, "leaver", 1, 2).build());
        awaitSequence("leaver", 1);

        SharedKafka.client().produce(Topics.OWNER_FIGURES, Keys.owner(TENANT, "leaver"), null);

        awaitSequence("leaver", 0);
        figures("leaver").jsonPath("$.held").isEqualTo(0);
    }

    @Test
    void figuresOfAnEarlierDayReadAsNoClaimsToday() {
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        publish(anOwnerFigures(TENANT, "yesterday", 4, 3)
                .setDay(today.minusDays(1))
                .build());

        awaitSequence("yesterday", 4);

        figures("yesterday")
                .jsonPath("$.claimsToday")
                .isEqualTo(0)
                .jsonPath("$.day")
                .isEqualTo(today.toString())
                .jsonPath("$.held")
                .isEqualTo(3)
                .jsonPath("$.dailyClaimLimit")
                .isEqualTo(5);
    }

    @Test
    void aSalespersonReadsTheirOwnFiguresAManagerAnyOwnersAndThePrivatePoolCarriesThem() {
        publish(anOwnerFigures(TENANT, "alice", 2, 7).setTeam("east").build());
        awaitSequence("alice", 2);
        WebTestClient alice = TestApi.as(TENANT, "alice", "east", Role.SALES);
        WebTestClient bob = TestApi.as(TENANT, "bob", "east", Role.SALES);
        WebTestClient manager = TestApi.as(TENANT, "maria", "west", Role.MANAGER);

        alice.get()
                .uri("/api/v1/owners/alice/figures")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.owner")
                .isEqualTo("alice")
                .jsonPath("$.team")
                .isEqualTo("east")
                .jsonPath("$.held")
                .isEqualTo(7)
                .jsonPath("$.heldCountingCapacity")
                .isEqualTo(7)
                .jsonPath("$.capacity")
                .isEqualTo(10)
                .jsonPath("$.claimsToday")
                .isEqualTo(2)
                .jsonPath("$.timeZone")
                .isEqualTo("Asia/Shanghai");
        bob.get().uri("/api/v1/owners/alice/figures").exchange().expectStatus().isForbidden();
        manager.get()
                .uri("/api/v1/owners/alice/figures")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.held")
                .isEqualTo(7);
        alice.get()
                .uri("/api/v1/private-pool")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.figures.held")
                .isEqualTo(7)
                .jsonPath("$.figures.claimsToday")
                .isEqualTo(2);
    }

    @Test
    void anOwnerWithoutFiguresHoldsNothingUnderTheTenantsRules() {
        figures("nobody-yet")
                .jsonPath("$.owner")
                .isEqualTo("nobody-yet")
                .jsonPath("$.held")
                .isEqualTo(0)
                .jsonPath("$.capacity")
                .isEqualTo(200)
                .jsonPath("$.dailyClaimLimit")
                .isEqualTo(50)
                .jsonPath("$.sequence")
                .isEqualTo(0);
    }

    private static WebTestClient.BodyContentSpec figures(String owner) {
        return admin.get()
                .uri("/api/v1/owners/{user}/figures", owner)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody();
    }

    private static void awaitSequence(String owner, long sequence) {
        await().atMost(PROJECTED_WITHIN)
                .untilAsserted(() -> figures(owner).jsonPath("$.sequence").isEqualTo(sequence));
    }

    private static List<Map<String, Object>> rows(List<String> owners) {
        return TestApi.api()
                .getBean(DatabaseClient.class)
                .sql("SELECT * FROM owner_figures WHERE tenant = :tenant AND owner = ANY(:owners) ORDER BY owner")
                .bind("tenant", TENANT)
                .bind("owners", owners.toArray(String[]::new))
                .fetch()
                .all()
                .collectList()
                .block(PROJECTED_WITHIN);
    }

    /**
     * Fresh owner names whose keys share one partition, so the projection reads their records in the order they
     * were sent and the last one marks that all before it were projected.
     */
    private static List<String> ownersInOnePartition(int count) {
        String prefix = "o-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        int partition = partitionOf(prefix + 0);
        return IntStream.iterate(0, i -> i + 1)
                .mapToObj(i -> prefix + i)
                .filter(owner -> partitionOf(owner) == partition)
                .limit(count)
                .toList();
    }

    private static int partitionOf(String owner) {
        byte[] key = Keys.owner(TENANT, owner).getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % Topics.OWNER_FIGURES.partitions();
    }
}
