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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A listing's statement is written for its viewer and its filters alone ({@link Visibility#condition()}, {@code
 * CustomerRepository.where}). Over customers that vary in every column a listing tests, each viewer (admin, managers
 * with and without a team, salespeople with and without pools, the default pool among them or not) with each filter
 * finds exactly the customers that the visibility rule for one customer ({@link Visibility#canSee}) and the filter,
 * evaluated here, select: in the page, newest first, and in the count.
 */
class ListingConditionsIT {

    private static final String TENANT =
            "listing-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String DEFAULT_POOL = "public";
    private static final String[] OWNERS = {null, "alice", "bob", "dave"};
    private static final String[] POOLS = {null, DEFAULT_POOL, "east-pool", "west-pool"};
    private static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");

    private static final List<CustomerSnapshot> CUSTOMERS = new ArrayList<>();
    private static CustomerRepository customers;

    @BeforeAll
    static void projectCustomers() {
        TestApi.api();
        customers = TestApi.api().getBean(CustomerRepository.class);
        int order = 0;
        for (String owner : OWNERS) {
            for (String pool : POOLS) {
                for (int variant = 0; variant < 4; variant++) {
                    order++;
                    String id = "c-%02d".formatted(order);
                    String name = (variant % 2 == 0 ? "上海星云" : "北京银河") + (order % 3 == 0 ? "科技" : "贸易") + "有限公司";
                    CUSTOMERS.add(Fixtures.aCustomer(TENANT, id, name, id + "@example.cn", null)
                            .setOwner(owner)
                            .setTeam(owner == null ? null : owner.equals("bob") ? "west" : "east")
                            .setPoolId(pool)
                            .setStage(variant < 2 ? "NEW" : "WON")
                            .setLevel(order % 3 == 1 ? "A" : "B")
                            .setSource(order % 2 == 0 ? "web" : "fair")
                            .setCampaign(order % 5 == 0 ? "spring" : null)
                            .setReturnDeadline(owner == null ? null : NOW.plus(Duration.ofDays(order % 7)))
                            .setUpdatedAt(NOW.minusSeconds(1_000 - order))
                            .build());
                }
            }
        }
        CUSTOMERS.forEach(customer -> SharedKafka.client()
                .produce(Topics.CUSTOMERS, Keys.customer(TENANT, customer.getCustomerId()), customer));
        Visibility admin = viewer("root", null, Set.of(Role.ADMIN), List.of());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> customers.count(admin, CustomerFilter.NONE).block() == CUSTOMERS.size());
    }

    @Test
    void everyViewerWithEveryFilterFindsWhatTheRuleForOneCustomerSelects() {
        List<Visibility> viewers = List.of(
                viewer("root", null, Set.of(Role.ADMIN), List.of()),
                viewer("alice", "east", Set.of(Role.SALES), List.of(DEFAULT_POOL)),
                viewer("alice", "east", Set.of(Role.SALES), List.of("east-pool")),
                viewer("alice", "east", Set.of(Role.SALES), List.of()),
                viewer("dave", "east", Set.of(Role.MANAGER), List.of("east-pool", DEFAULT_POOL)),
                viewer("erin", null, Set.of(Role.MANAGER), List.of("west-pool")),
                new Visibility(
                        new Viewer(TENANT, "bob", "west", Set.of(Role.SALES)), List.of("west-pool"), "west-pool"));
        for (Visibility visibility : viewers) {
            filters(visibility.defaultPool()).forEach((name, filter) -> {
                List<String> expected = CUSTOMERS.stream()
                        .filter(c -> visibility.canSee(c.getOwner(), c.getTeam(), c.getPoolId()))
                        .filter(filter.selects())
                        .sorted((a, b) -> b.getUpdatedAt().compareTo(a.getUpdatedAt()))
                        .map(CustomerSnapshot::getCustomerId)
                        .toList();
                String described = visibility.viewer().user() + " " + visibility.visiblePools() + ", " + name;
                CustomerPage page = customers
                        .page(visibility, filter.filter(), 0, 100, true)
                        .block();
                assertThat(page.items())
                        .as(described)
                        .extracting(CustomerView::customerId)
                        .containsExactlyElementsOf(expected);
                assertThat(page.total()).as(described).isEqualTo(expected.size());
                assertThat(customers.count(visibility, filter.filter()).block())
                        .as(described)
                        .isEqualTo(expected.size());
                CustomerPage firstThree =
                        customers.page(visibility, filter.filter(), 0, 3, false).block();
                assertThat(firstThree.items())
                        .as(described)
                        .extracting(CustomerView::customerId)
                        .containsExactlyElementsOf(expected.subList(0, Math.min(3, expected.size())));
                boolean counted = filter.filter().query() == null;
                assertThat(firstThree.total())
                        .as(described)
                        .isEqualTo(counted ? expected.size() : Math.min(3, expected.size()));
                assertThat(firstThree.totalExact()).as(described).isEqualTo(counted || expected.size() <= 3);
                assertThat(customers.countUpTo(visibility, filter.filter(), 3).block())
                        .as(described)
                        .isEqualTo(Math.min(3, expected.size()));
            });
        }
    }

    @Test
    void theRuleSelectsSomethingDifferentForEachViewer() {
        // Guards the test above against a grid in which every viewer sees the same customers.
        assertThat(CUSTOMERS.stream()
                        .filter(c -> viewer("alice", "east", Set.of(Role.SALES), List.of())
                                .canSee(c.getOwner(), c.getTeam(), c.getPoolId())))
                .hasSize(16);
        assertThat(CUSTOMERS.stream()
                        .filter(c -> viewer("dave", "east", Set.of(Role.MANAGER), List.of("east-pool", DEFAULT_POOL))
                                .canSee(c.getOwner(), c.getTeam(), c.getPoolId())))
                .hasSize(32 + 12);
    }

    /** Each filter, and the same filter for one customer, for a viewer whose default pool is {@code defaultPool}. */
    private static Map<String, Filter> filters(String defaultPool) {
        return Map.ofEntries(
                Map.entry("none", new Filter(CustomerFilter.NONE, customer -> true)),
                Map.entry("owner", new Filter(CustomerFilter.ownedBy("alice"), c -> "alice".equals(c.getOwner()))),
                Map.entry("team", new Filter(filter(null, "east", null, null, null), c -> "east".equals(c.getTeam()))),
                Map.entry(
                        "default pool",
                        new Filter(CustomerFilter.inPool(DEFAULT_POOL), c -> inPool(c, DEFAULT_POOL, defaultPool))),
                Map.entry(
                        "other pool",
                        new Filter(CustomerFilter.inPool("east-pool"), c -> inPool(c, "east-pool", defaultPool))),
                Map.entry(
                        "stage and level",
                        new Filter(
                                filter(null, null, "WON", "A", null),
                                c -> "WON".equals(c.getStage()) && "A".equals(c.getLevel()))),
                Map.entry(
                        "source and campaign",
                        new Filter(
                                new CustomerFilter(null, null, null, null, null, null, "web", "spring", null),
                                c -> "web".equals(c.getSource()) && "spring".equals(c.getCampaign()))),
                Map.entry(
                        "returns within 3 days",
                        new Filter(
                                filter(null, null, null, null, NOW.plus(Duration.ofDays(3))),
                                c -> c.getReturnDeadline() != null
                                        && !c.getReturnDeadline().isAfter(NOW.plus(Duration.ofDays(3))))),
                Map.entry("query", new Filter(filter("星云", null, null, null, null), c -> named(c, "星云"))),
                Map.entry(
                        "query and stage",
                        new Filter(
                                filter("星云科技", null, "NEW", null, null),
                                c -> named(c, "星云科技") && "NEW".equals(c.getStage()))));
    }

    private record Filter(CustomerFilter filter, Predicate<CustomerSnapshot> selects) {}

    private static Visibility viewer(String user, String team, Set<Role> roles, List<String> pools) {
        return new Visibility(new Viewer(TENANT, user, team, roles), pools, DEFAULT_POOL);
    }

    private static CustomerFilter filter(String query, String team, String stage, String level, Instant returnsBefore) {
        return new CustomerFilter(query, null, team, null, stage, level, null, null, returnsBefore);
    }

    private static boolean inPool(CustomerSnapshot customer, String pool, String defaultPool) {
        return customer.getOwner() == null
                && pool.equals(Objects.requireNonNullElse(customer.getPoolId(), defaultPool));
    }

    private static boolean named(CustomerSnapshot customer, String text) {
        return customer.getCompany().getName().contains(text);
    }
}
