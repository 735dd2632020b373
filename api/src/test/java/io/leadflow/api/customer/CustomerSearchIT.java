package io.leadflow.api.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadflow.api.Fixtures;
import io.leadflow.api.TestApi;
import io.leadflow.api.auth.Role;
import io.leadflow.api.auth.Viewer;
import io.leadflow.api.rules.Visibility;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.SharedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Free-text search ({@code q=}) finds the names that contain the query literally, ignoring case, whatever its
 * length and script — one or two Chinese characters (served by the name's character pairs), Latin, mixed, longer
 * queries — within what the viewer may see (the customers they hold and the unowned ones of their public pools), and
 * follows a customer's new name.
 */
class CustomerSearchIT {

    private static final String TENANT =
            "search-" + UUID.randomUUID().toString().substring(0, 8);

    private static WebTestClient admin;
    private static WebTestClient alice;

    @BeforeAll
    static void projectCustomers() {
        TestApi.api();
        admin = TestApi.as(TENANT, "root", null, Role.ADMIN);
        alice = TestApi.as(TENANT, "alice", "east", Role.SALES);
        publish(customer("c-xingyun", "上海星云科技有限公司", null), 1);
        publish(customer("c-yinhe", "北京银河星辰有限公司", null), 2);
        publish(customer("c-yunxing", "云星云贸易有限公司", null), 3);
        publish(customer("c-organic", "Organic Farms Inc.", null), 4);
        publish(customer("c-mixed", "ABC星云 Trading 有限公司", "alice"), 5);
        publish(customer("c-bobs", "深圳星云电子有限公司", "bob"), 6);
        awaitVisible(List.of("c-xingyun", "c-yinhe", "c-yunxing", "c-organic", "c-mixed", "c-bobs"));
    }

    @Test
    void findsNamesContainingOneChineseCharacter() {
        assertThat(search(admin, "辰")).containsExactly("c-yinhe");
        assertThat(search(admin, "星")).containsExactly("c-bobs", "c-mixed", "c-yunxing", "c-yinhe", "c-xingyun");
    }

    @Test
    void findsNamesContainingTwoChineseCharactersInThatOrder() {
        assertThat(search(admin, "星云")).containsExactly("c-bobs", "c-mixed", "c-yunxing", "c-xingyun");
        assertThat(search(admin, "云星")).containsExactly("c-yunxing");
        assertThat(search(admin, "星辰")).containsExactly("c-yinhe");
        assertThat(search(admin, "辰星")).isEmpty();
    }

    @Test
    void findsNamesContainingLongerQueriesOnlyWithTheirCharactersInOrder() {
        assertThat(search(admin, "星云科技")).containsExactly("c-xingyun");
        // "云星云" holds both pairs of "星云星" (星云, 云星), but not the query.
        assertThat(search(admin, "星云星")).isEmpty();
        assertThat(search(admin, "云星云")).containsExactly("c-yunxing");
    }

    @Test
    void findsLatinAndMixedQueriesIgnoringCase() {
        assertThat(search(admin, "o")).containsExactly("c-organic");
        assertThat(search(admin, "OR")).containsExactly("c-organic");
        assertThat(search(admin, "farms inc")).containsExactly("c-organic");
        assertThat(search(admin, "c星")).containsExactly("c-mixed");
        assertThat(search(admin, "abc星云 t")).containsExactly("c-mixed");
        assertThat(search(admin, "nc.")).containsExactly("c-organic");
        assertThat(search(admin, "n.")).isEmpty();
    }

    @Test
    void findsOnlyWhatTheSalespersonMaySee() {
        assertThat(search(alice, "星云")).containsExactly("c-mixed", "c-yunxing", "c-xingyun");
        assertThat(search(alice, "深")).isEmpty();
        assertThat(total(alice, "星")).isEqualTo(4);
    }

    @Test
    void aSearchNotAskedToCountTellsWhetherMoreMatchesFollow() {
        // Alice may see four names with 星.
        CustomerPage first = page(alice, 3, "星", 0);
        assertThat(first.items()).hasSize(3);
        assertThat(first)
                .extracting(CustomerPage::total, CustomerPage::totalExact)
                .containsExactly(3L, false);
        CustomerPage last = page(alice, 3, "星", 1);
        assertThat(last.items()).hasSize(1);
        assertThat(last)
                .extracting(CustomerPage::total, CustomerPage::totalExact)
                .containsExactly(4L, true);
        CustomerPage exactlyFull = page(alice, 4, "星", 0);
        assertThat(exactlyFull)
                .extracting(CustomerPage::total, CustomerPage::totalExact)
                .containsExactly(4L, true);
        // After the last match the matches are counted, so that a client paging too far learns where they end.
        CustomerPage beyond = page(alice, 3, "星", 5);
        assertThat(beyond.items()).isEmpty();
        assertThat(beyond)
                .extracting(CustomerPage::total, CustomerPage::totalExact)
                .containsExactly(4L, true);
        admin.get()
                .uri("/api/v1/customers?q=星&count=maybe")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat(detail.toString()).contains("count").contains("true or false"));
    }

    @Test
    void findsUnownedCustomersOnlyInThePoolsTheViewerBelongsTo() {
        publish(customer("c-east-pool", "成都天成物流有限公司", null).setPoolId("east-pool"), 8);
        publish(customer("c-west-pool", "成都天成贸易有限公司", null).setPoolId("west-pool"), 9);
        publish(customer("c-default-pool", "成都天成实业有限公司", null), 10);
        awaitVisible(List.of("c-east-pool", "c-west-pool", "c-default-pool"));
        CustomerRepository customers = TestApi.api().getBean(CustomerRepository.class);
        Viewer carol = new Viewer(TENANT, "carol", "east", Set.of(Role.SALES));

        Visibility eastOnly = new Visibility(carol, List.of("east-pool"), "public");
        assertThat(ids(customers, eastOnly, "天成")).containsExactly("c-east-pool");
        assertThat(customers.countUpTo(eastOnly, query("天成"), 10).block()).isEqualTo(1);
        assertThat(customers.countUpTo(eastOnly, CustomerFilter.NONE, 10).block())
                .isEqualTo(1);

        Visibility eastAndDefault = new Visibility(carol, List.of("east-pool", "public"), "public");
        assertThat(ids(customers, eastAndDefault, "天成")).containsExactly("c-default-pool", "c-east-pool");
        assertThat(customers.countUpTo(eastAndDefault, query("天成"), 10).block()).isEqualTo(2);

        Visibility eastIsDefault = new Visibility(carol, List.of("east-pool"), "east-pool");
        assertThat(ids(customers, eastIsDefault, "天成")).containsExactly("c-default-pool", "c-east-pool");

        Visibility noPool = new Visibility(carol, List.of(), "public");
        assertThat(ids(customers, noPool, "天成")).isEmpty();
        assertThat(customers.countUpTo(noPool, query("天成"), 10).block()).isZero();
    }

    @Test
    void findsNamesLongerThanTheirIndexedPairsByTheNameItself() {
        // 70 characters: more than the 64 whose pairs are kept (V10), so the name itself is searched.
        String longName = "广州市天河区珠江新城花城大道八十八号国际金融中心写字楼第八十八层东区龙腾四海网络科技发展集团股份有限公司第一分公司营业部华南大区客户服务中心";
        publish(customer("c-long", longName, null), 11);
        publish(customer("c-long-bobs", longName + "二部", "bob"), 12);
        awaitVisible(List.of("c-long", "c-long-bobs"));

        assertThat(search(admin, "龙")).containsExactly("c-long-bobs", "c-long");
        assertThat(search(admin, "龙腾")).containsExactly("c-long-bobs", "c-long");
        assertThat(search(admin, "龙腾四海科技")).isEmpty();
        assertThat(search(admin, "龙腾四海网络")).containsExactly("c-long-bobs", "c-long");
        assertThat(search(admin, "服务中心二部")).containsExactly("c-long-bobs");
        assertThat(search(alice, "龙腾")).containsExactly("c-long");
        assertThat(total(alice, "龙腾")).isEqualTo(1);
    }

    @Test
    void followsARenamedCustomer() {
        publish(customer("c-renamed", "杭州明远科技有限公司", null), 7);
        awaitVisible(List.of("c-renamed"));
        assertThat(search(admin, "明远")).containsExactly("c-renamed");

        CustomerSnapshot renamed = customer("c-renamed", "杭州卓越科技有限公司", null)
                .setVersion(2)
                .setUpdatedAt(Instant.parse("2026-11-27T09:00:08Z"))
                .build();
        SharedKafka.client().produce(Topics.CUSTOMERS, Keys.customer(TENANT, "c-renamed"), renamed);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(search(admin, "卓越")).containsExactly("c-renamed"));
        assertThat(search(admin, "明远")).isEmpty();
        assertThat(search(admin, "明")).isEmpty();
    }

    /** The customer ids a search finds, newest change first. */
    private static List<String> search(WebTestClient client, String query) {
        return page(client, 100, query).items().stream()
                .map(CustomerView::customerId)
                .toList();
    }

    private static CustomerPage page(WebTestClient client, int size, String query) {
        return page(client, size, query, 0);
    }

    private static CustomerPage page(WebTestClient client, int size, String query, int page) {
        return read(client, "/api/v1/customers?size=" + size + "&q={q}&page=" + page, query);
    }

    private static CustomerPage read(WebTestClient client, String uri, String query) {
        return client.get()
                .uri(uri, query)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(CustomerPage.class)
                .returnResult()
                .getResponseBody();
    }

    /** The ids of the customers {@code visibility} finds for {@code query}, as the repository orders them. */
    static List<String> ids(CustomerRepository customers, Visibility visibility, String query) {
        return customers.page(visibility, query(query), 0, 100, true).block().items().stream()
                .map(CustomerView::customerId)
                .toList();
    }

    static CustomerFilter query(String query) {
        return new CustomerFilter(query, null, null, null, null, null, null, null, null);
    }

    /** The matches counted ({@code count=true}), read from a page of one. */
    private static long total(WebTestClient client, String query) {
        CustomerPage counted = read(client, "/api/v1/customers?size=1&q={q}&count=true", query);
        assertThat(counted.items()).hasSizeLessThanOrEqualTo(1);
        return counted.total();
    }

    /** A customer in the public pool ({@code owner} null) or held by {@code owner}. */
    private static CustomerSnapshot.Builder customer(String customerId, String name, String owner) {
        return Fixtures.aCustomer(TENANT, customerId, name, customerId + "@example.cn", null)
                .setOwner(owner)
                .setTeam(owner == null ? null : owner.equals("alice") ? "east" : "west");
    }

    /** Publishes the customer as changed {@code order} seconds after 09:00, so newer ones list first. */
    private static void publish(CustomerSnapshot.Builder customer, int order) {
        Instant at = Instant.parse("2026-11-27T09:00:00Z").plusSeconds(order);
        CustomerSnapshot snapshot = customer.setUpdatedAt(at).build();
        SharedKafka.client().produce(Topics.CUSTOMERS, Keys.customer(TENANT, snapshot.getCustomerId()), snapshot);
    }

    private static void awaitVisible(List<String> customerIds) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> customerIds.forEach(customerId -> admin.get()
                        .uri("/api/v1/customers/{id}", customerId)
                        .exchange()
                        .expectStatus()
                        .isOk()));
    }
}
