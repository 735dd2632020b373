package io.leadflow.api.duplicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadflow.api.Fixtures;
import io.leadflow.api.TestApi;
import io.leadflow.api.auth.Role;
import io.leadflow.avro.Company;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.matching.InMemoryMatchIndex;
import io.leadflow.matching.MatchEngine;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.SharedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * 查重 reads the customers filed under a blocking key from {@code customer_block} (V11), which the database keeps in
 * step with every write of a customer. Seventy customers named 星云 and one more character share the blocking key
 * of 星云, more than the engine reads a key for ({@code blockLimit}, 64): it is a stop unit for the api as for the
 * engine, and each name is still found by its own second pair. A renamed customer is found by its new name only, and
 * a customer merged away (its tombstone) is found no more.
 */
class DuplicateBlocksIT {

    private static final String TENANT =
            "blocks-" + UUID.randomUUID().toString().substring(0, 8);
    private static final MatchEngine ENGINE = MatchFiling.ENGINE;
    private static final String SECONDS =
            "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土日月山川江河湖海风雨雷电" + "春夏秋冬东南西北红黄蓝白黑青紫松柏桃李梅兰竹菊鹤鹿龙凤麟玉珠宝铁铜锡";
    private static final int CUSTOMERS = 70;

    private static final InMemoryMatchIndex INDEX = new InMemoryMatchIndex();
    private static WebTestClient admin;

    @BeforeAll
    static void projectCustomersSharingABlock() {
        assertThat(SECONDS.codePoints().distinct().count()).isGreaterThanOrEqualTo(CUSTOMERS);
        assertThat(CUSTOMERS).isGreaterThan(ENGINE.profile().blockLimit());
        TestApi.api();
        admin = TestApi.as(TENANT, "root", null, Role.ADMIN);
        for (int i = 0; i < CUSTOMERS; i++) {
            String name = name(i);
            ENGINE.remember(ENGINE.prepare(Map.of("name", name)), customerId(i), INDEX);
            publish(customer(i, name, 1));
        }
        awaitFound(name(CUSTOMERS - 1), customerId(CUSTOMERS - 1));
    }

    @Test
    void aKeyHeldByMoreThanTheEngineReadsIsAStopUnitAsInTheEngine() {
        assertThat(ENGINE.prepare(Map.of("name", name(0))).blocks()).contains("name:星云");
        for (int i = 0; i < CUSTOMERS; i += 7) {
            Map<String, String> fields = Map.of("name", name(i));
            List<String> engine = ENGINE.check(fields, INDEX).stream()
                    .map(match -> match.customerId() + ":" + match.verdict())
                    .toList();
            assertThat(engine)
                    .as("the engine finds %s by its own pair", name(i))
                    .isNotEmpty();
            assertThat(found(name(i))).as("api for %s", name(i)).isEqualTo(engine);
        }
        // Only the shared pair: a stop unit, no candidate at all.
        assertThat(ENGINE.check(Map.of("name", "星云科技有限公司"), INDEX)).isEmpty();
        assertThat(found("星云科技有限公司")).isEmpty();
    }

    @Test
    void aRenamedCustomerIsFiledUnderItsNewNameAndAMergedOneUnderNone() {
        String renamed = customerId(1);
        publish(customer(1, "银河辰光贸易有限公司", 2));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(found("银河辰光贸易有限公司")).anyMatch(match -> match.startsWith(renamed)));
        assertThat(found(name(1))).noneMatch(match -> match.startsWith(renamed));

        String merged = customerId(2);
        assertThat(found(name(2))).anyMatch(match -> match.startsWith(merged));
        SharedKafka.client().produce(Topics.CUSTOMERS, Keys.customer(TENANT, merged), null);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(found(name(2))).noneMatch(match -> match.startsWith(merged)));
    }

    private static String name(int i) {
        return "星云" + SECONDS.charAt(i) + "科技有限公司";
    }

    private static String customerId(int i) {
        return "c-%03d".formatted(i);
    }

    private static CustomerSnapshot customer(int i, String name, long version) {
        return Fixtures.aCustomer(TENANT, customerId(i), name, "buyer" + i + "@corp" + i + ".cn", null)
                .setVersion(version)
                .setCompany(Company.newBuilder().setName(name).build())
                .build();
    }

    private static void publish(CustomerSnapshot customer) {
        SharedKafka.client().produce(Topics.CUSTOMERS, Keys.customer(TENANT, customer.getCustomerId()), customer);
    }

    private static void awaitFound(String name, String customerId) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(found(name)).anyMatch(match -> match.startsWith(customerId)));
    }

    /** The matches of a 查重 for {@code name}, as customer id and verdict. */
    private static List<String> found(String name) {
        return DuplicateCheckIT.matches(admin, Map.of("name", name));
    }
}
