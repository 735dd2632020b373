package io.leadflow.processor.funnel;

import static io.leadflow.processor.funnel.Customers.aCustomer;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.FunnelDimension;
import io.leadflow.avro.FunnelFigure;
import io.leadflow.avro.FunnelStage;
import io.leadflow.avro.TenantRules;
import io.leadflow.processor.LeadflowTopology;
import io.leadflow.processor.TestStateDir;
import io.leadflow.processor.rules.TenantRulesDefaults;
import io.leadflow.schemas.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Random histories of customer changes (stage moves with regressions and skips, amounts, owner changes and
 * returns to the pool, merges, stale snapshots, changes of the stage set) and emissions at random points:
 * afterwards, the funnel topic holds exactly the figures a brute-force recomputation from the final customers
 * and rules gives, and nothing else.
 */
class FunnelPropertyTest {

    private static final String ZONE = "Asia/Shanghai";
    private static final int CUSTOMERS = 6;
    private static final List<String> STAGE_NAMES = List.of(
            "NEW", "CONTACTED", "QUALIFIED", "PROPOSAL", "QUOTE", "DEMO", "NEGOTIATION", "WON", "LOST", "LEGACY");
    private static final List<List<FunnelStage>> STAGE_SETS = stageSets();

    private static TopologyTestDriver driver;
    private static TestInputTopic<String, CustomerSnapshot> customers;
    private static TestInputTopic<String, TenantRules> rules;
    private static TestOutputTopic<String, FunnelFigure> funnel;
    private static int runs;

    @BeforeContainer
    static void startDriver() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "funnel-property-test");
        config.put(StreamsConfig.STATE_DIR_CONFIG, TestStateDir.ofThisJvm());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // Cohorts for every dimension (the default leaves out owner and team): the brute force recomputes them all.
        FunnelSettings allCohorts = FunnelSettings.DEFAULTS.withCohortDimensions(EnumSet.allOf(FunnelDimension.class));
        driver = new TopologyTestDriver(
                LeadflowTopology.build(allCohorts), config, Instant.parse("2026-11-27T00:00:00Z"));
        customers = driver.createInputTopic(
                Topics.CUSTOMERS.name(),
                Topics.CUSTOMERS.keySerde().serializer(),
                Topics.CUSTOMERS.valueSerde().serializer());
        rules = driver.createInputTopic(
                Topics.TENANT_RULES.name(),
                Topics.TENANT_RULES.keySerde().serializer(),
                Topics.TENANT_RULES.valueSerde().serializer());
        funnel = driver.createOutputTopic(
                Topics.FUNNEL.name(),
                Topics.FUNNEL.keySerde().deserializer(),
                Topics.FUNNEL.valueSerde().deserializer());
    }

    @AfterContainer
    static void closeDriver() {
        driver.close();
    }

    sealed interface Event {}

    record Move(int customer, String stage, int hoursLater) implements Event {}

    record SetAmount(int customer, Integer cents) implements Event {}

    record SetOwner(int customer, String owner, String team) implements Event {}

    record MergeAway(int customer) implements Event {}

    record ResendOld(int customer) implements Event {}

    record ChangeRules(int stageSet) implements Event {}

    record Emit() implements Event {}

    @Property(tries = 100, edgeCases = EdgeCasesMode.MIXIN)
    void everyFigureEqualsABruteForceRecomputation(@ForAll("histories") List<Event> history) {
        Run run = new Run();
        history.forEach(run::apply);
        run.finish();

        Map<String, FunnelFigure> expected =
                BruteForceFunnel.figures(run.liveCustomers(), STAGE_SETS.get(run.stageSet), ZONE);
        assertThat(BruteForceFunnel.withoutUpdatedAt(run.figures)).isEqualTo(expected);
        Statistics.label("live customers").collect(run.liveCustomers().size());
        Statistics.label("figures, in tens").collect(expected.size() / 10 * 10);
    }

    @Provide
    Arbitrary<List<Event>> histories() {
        Arbitrary<Integer> customer = Arbitraries.integers().between(0, CUSTOMERS - 1);
        Arbitrary<Event> move = Combinators.combine(
                        customer,
                        Arbitraries.of(STAGE_NAMES),
                        Arbitraries.integers().between(0, 72))
                .as(Move::new);
        Arbitrary<Event> amount = Combinators.combine(
                        customer, Arbitraries.integers().between(0, 10_000_000).injectNull(0.2))
                .as(SetAmount::new);
        Arbitrary<Event> owner = Combinators.combine(
                        customer,
                        Arbitraries.of("bob", "alice", "carol").injectNull(0.3),
                        Arbitraries.of("east", "west"))
                .as(SetOwner::new);
        Arbitrary<Event> merge = customer.map(MergeAway::new);
        Arbitrary<Event> resend = customer.map(ResendOld::new);
        Arbitrary<Event> rules =
                Arbitraries.integers().between(0, STAGE_SETS.size() - 1).map(ChangeRules::new);
        Arbitrary<Event> emit = Arbitraries.just(new Emit());
        return Arbitraries.frequencyOf(
                        Tuple.of(8, move),
                        Tuple.of(3, amount),
                        Tuple.of(3, owner),
                        Tuple.of(1, merge),
                        Tuple.of(1, resend),
                        Tuple.of(1, rules),
                        Tuple.of(2, emit))
                .list()
                .ofMinSize(5)
                .ofMaxSize(60);
    }

    /** One history played through the processor's topology, with the model of what the customers are. */
    private static final class Run {

        private final String tenant;
        private final Map<Integer, Customers> builders = new HashMap<>();
        private final Map<Integer, CustomerSnapshot> current = new TreeMap<>();
        private final Map<Integer, CustomerSnapshot> previous = new HashMap<>();
        private final Map<Integer, Boolean> mergedAway = new HashMap<>();
        private final Map<String, FunnelFigure> figures = new TreeMap<>();
        private int stageSet;
        private long rulesVersion;

        Run() {
            tenant = "p-" + (++runs);
            funnel.readKeyValuesToList();
        }

        void apply(Event event) {
            if (event instanceof Move move) {
                change(move.customer(), c -> c.movedTo(move.stage(), Duration.ofHours(move.hoursLater())));
            } else if (event instanceof SetAmount amount) {
                change(amount.customer(), c -> c.withAmount(amountOf(amount.cents())));
            } else if (event instanceof SetOwner owner) {
                change(owner.customer(), c -> {
                    if (owner.owner() == null) {
                        c.inPublicPool();
                    } else {
                        c.ownedBy(owner.owner(), owner.team());
                    }
                });
            } else if (event instanceof MergeAway merge) {
                mergeAway(merge.customer());
            } else if (event instanceof ResendOld resend) {
                resendOld(resend.customer());
            } else if (event instanceof ChangeRules rules) {
                changeRules(rules.stageSet());
            } else {
                emit();
            }
        }

        private static String amountOf(Integer cents) {
            return cents == null ? null : BigDecimal.valueOf(cents, 2).toPlainString();
        }

        void finish() {
            driver.advanceWallClockTime(FunnelSettings.DEFAULTS.rulesCheckInterval());
            emit(FunnelSettings.DEFAULTS.cohortEmitInterval());
        }

        List<CustomerSnapshot> liveCustomers() {
            List<CustomerSnapshot> live = new ArrayList<>();
            current.forEach((id, snapshot) -> {
                if (!mergedAway.getOrDefault(id, false)) {
                    live.add(snapshot);
                }
            });
            return live;
        }

        private void change(int id, Consumer<Customers> change) {
            if (mergedAway.getOrDefault(id, false)) {
                return;
            }
            Customers customer = builders.computeIfAbsent(id, this::newCustomer);
            if (current.containsKey(id)) {
                change.accept(customer);
            }
            send(id, customer);
        }

        private Customers newCustomer(int id) {
            // First leads on six days around a week and a month boundary, some without source or campaign.
            Instant firstLeadAt = Instant.parse("2026-11-27T10:00:00Z").plus(Duration.ofDays(id));
            return aCustomer("c-" + id)
                    .ofTenant(tenant)
                    .firstLeadAt(firstLeadAt)
                    .from(id % 3 == 0 ? null : "src-" + (id % 2), id % 2 == 0 ? "expo" : null)
                    .ownedBy(id % 2 == 0 ? "bob" : null, "east");
        }

        private void send(int id, Customers customer) {
            CustomerSnapshot snapshot = customer.build();
            if (current.containsKey(id)) {
                previous.put(id, current.get(id));
            }
            current.put(id, snapshot);
            customers.pipeInput(customer.key(), snapshot, customer.updatedAt());
        }

        private void mergeAway(int id) {
            if (current.containsKey(id) && !mergedAway.getOrDefault(id, false)) {
                mergedAway.put(id, true);
                customers.pipeInput(
                        builders.get(id).key(), null, builders.get(id).updatedAt());
            }
        }

        private void resendOld(int id) {
            if (previous.containsKey(id) && !mergedAway.getOrDefault(id, false)) {
                customers.pipeInput(
                        builders.get(id).key(),
                        previous.get(id),
                        builders.get(id).updatedAt());
            }
        }

        private void changeRules(int set) {
            stageSet = set;
            rulesVersion++;
            rules.pipeInput(tenant, FunnelTopologyTest.rulesOf(tenant, rulesVersion, STAGE_SETS.get(set), ZONE));
        }

        /** Live figures are emitted every time, cohort figures when their longer interval has passed. */
        private void emit() {
            emit(FunnelSettings.DEFAULTS.emitInterval());
        }

        private void emit(Duration wallClock) {
            driver.advanceWallClockTime(wallClock);
            for (KeyValue<String, FunnelFigure> record : funnel.readKeyValuesToList()) {
                if (!record.key.startsWith(tenant + "/")) {
                    continue;
                }
                if (record.value == null) {
                    figures.remove(record.key);
                } else {
                    figures.put(record.key, record.value);
                }
            }
        }
    }

    private static List<List<FunnelStage>> stageSets() {
        List<FunnelStage> defaults = TenantRulesDefaults.defaultStages();
        List<FunnelStage> renamed = new ArrayList<>();
        List<FunnelStage> withoutQualified = new ArrayList<>();
        List<FunnelStage> reordered = new ArrayList<>();
        for (FunnelStage stage : defaults) {
            FunnelStage.Builder rename = FunnelStage.newBuilder(stage);
            if (stage.getName().equals("PROPOSAL")) {
                rename.setName("QUOTE");
            }
            renamed.add(rename.build());
            if (!stage.getName().equals("QUALIFIED")) {
                withoutQualified.add(stage);
            }
            FunnelStage.Builder reorder = FunnelStage.newBuilder(stage);
            if (stage.getName().equals("CONTACTED")) {
                reorder.setOrder(2);
            } else if (stage.getName().equals("QUALIFIED")) {
                reorder.setOrder(1);
            }
            reordered.add(reorder.build());
        }
        List<FunnelStage> withDemo = List.of(
                stage("NEW", 0, 0.2, false, false),
                stage("CONTACTED", 1, 0.15, false, false),
                stage("DEMO", 2, 0.3, false, false),
                stage("QUALIFIED", 3, 0.35, false, false),
                stage("PROPOSAL", 4, 0.55, false, false),
                stage("NEGOTIATION", 5, 0.9, false, false),
                stage("WON", 6, 1.0, true, false),
                stage("LOST", 7, 0.0, false, true));
        return List.of(defaults, renamed, withoutQualified, reordered, withDemo);
    }

    private static FunnelStage stage(String name, int order, double probability, boolean won, boolean lost) {
        return FunnelStage.newBuilder()
                .setName(name)
                .setOrder(order)
                .setWinProbability(probability)
                .setClosedWon(won)
                .setClosedLost(lost)
                .build();
    }
}
