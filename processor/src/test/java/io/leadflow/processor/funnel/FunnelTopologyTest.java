package io.leadflow.processor.funnel;

import static io.leadflow.processor.funnel.Customers.aCustomer;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.DeadLetter;
import io.leadflow.avro.FunnelDimension;
import io.leadflow.avro.FunnelFigure;
import io.leadflow.avro.FunnelKind;
import io.leadflow.avro.FunnelStage;
import io.leadflow.avro.Lead;
import io.leadflow.avro.StageFigure;
import io.leadflow.avro.TenantRules;
import io.leadflow.processor.LeadflowTopology;
import io.leadflow.processor.TestStateDir;
import io.leadflow.processor.rules.TenantRulesDefaults;
import io.leadflow.processor.rules.TenantRulesStore;
import io.leadflow.processor.state.StoreBacking;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.HdrHistogram.Histogram;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FunnelTopologyTest {

    /** Long enough for live and cohort figures to be emitted. */
    private static final Duration EMIT = FunnelSettings.DEFAULTS.cohortEmitInterval();

    private static final String LIVE = "live";

    /** Cohort figures for every dimension, owner and team too; most tests look at all of them. */
    private static final FunnelSettings ALL_COHORTS =
            FunnelSettings.DEFAULTS.withCohortDimensions(EnumSet.allOf(FunnelDimension.class));

    private TopologyTestDriver driver;
    private TestInputTopic<String, CustomerSnapshot> customers;
    private TestInputTopic<String, TenantRules> rules;
    private TestOutputTopic<String, FunnelFigure> funnel;
    private final Map<String, FunnelFigure> latest = new HashMap<>();

    @BeforeEach
    void startDriver() {
        startDriver(LeadflowTopology.build(ALL_COHORTS));
    }

    private void startDriver(Topology topology) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "funnel-test");
        config.put(StreamsConfig.STATE_DIR_CONFIG, TestStateDir.ofThisJvm());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(topology, config, Instant.parse("2026-11-27T00:00:00Z"));
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

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void countsANewCustomerInEveryFigureItBelongsTo() {
        send(aCustomer("c-1").ownedBy("bob", "east").from("web-form", "expo").withAmount("1000.00"));

        Map<String, FunnelFigure> emitted = emit();

        assertThat(emitted).hasSize(20);
        for (String period : List.of(LIVE, "2026-11-27", "2026-W48", "2026-11")) {
            assertThat(emitted)
                    .containsKeys(
                            Keys.funnel("acme", FunnelDimension.TENANT, period, "acme"),
                            Keys.funnel("acme", FunnelDimension.TEAM, period, "east"),
                            Keys.funnel("acme", FunnelDimension.OWNER, period, "bob"),
                            Keys.funnel("acme", FunnelDimension.SOURCE, period, "web-form"),
                            Keys.funnel("acme", FunnelDimension.CAMPAIGN, period, "expo"));
        }
        FunnelFigure tenant = live(FunnelDimension.TENANT, "acme");
        assertThat(tenant.getKind()).isEqualTo(FunnelKind.SNAPSHOT);
        assertThat(tenant.getStages())
                .extracting(StageFigure::getStage)
                .containsExactly("NEW", "CONTACTED", "QUALIFIED", "PROPOSAL", "NEGOTIATION", "WON", "LOST");
        assertThat(stage(tenant, "NEW").getCount()).isEqualTo(1);
        assertThat(stage(tenant, "NEW").getAmount()).isEqualByComparingTo("1000.00");
        assertThat(stage(tenant, "NEW").getWeightedAmount()).isEqualByComparingTo("50.00");
        assertThat(stage(tenant, "NEW").getReached()).isEqualTo(1);
        assertThat(stage(tenant, "CONTACTED").getCount()).isZero();
        assertThat(stage(tenant, "CONTACTED").getConversionRate()).isEqualTo(0.0);
        assertThat(tenant.getWon()).isZero();
        assertThat(tenant.getUpdatedAt()).isEqualTo(Customers.FIRST_LEAD_AT);
    }

    @Test
    void anUnreadableSnapshotIsADeadLetterWithItsBytesAndTheCustomersNextSnapshotCounts() {
        Customers customer = aCustomer("c-1").withAmount("1000.00");
        byte[] whole = Topics.CUSTOMERS.valueSerde().serializer().serialize(Topics.CUSTOMERS.name(), customer.build());
        byte[] truncated = Arrays.copyOf(whole, whole.length - 10);
        TestInputTopic<String, byte[]> raw =
                driver.createInputTopic(Topics.CUSTOMERS.name(), new StringSerializer(), new ByteArraySerializer());
        TestOutputTopic<String, DeadLetter> deadLetters = driver.createOutputTopic(
                Topics.DEAD_LETTER.name(),
                Topics.DEAD_LETTER.keySerde().deserializer(),
                Topics.DEAD_LETTER.valueSerde().deserializer());

        raw.pipeInput(customer.key(), truncated, customer.updatedAt());
        send(customer);
        emit();

        List<KeyValue<String, DeadLetter>> letters = deadLetters.readKeyValuesToList();
        assertThat(letters).hasSize(1);
        DeadLetter letter = letters.get(0).value;
        assertThat(letters.get(0).key).isEqualTo(Keys.deadLetter(Topics.CUSTOMERS.name(), 0, 0));
        assertThat(letter.getSourceTopic()).isEqualTo(Topics.CUSTOMERS.name());
        assertThat(letter.getOffset()).isZero();
        assertThat(letter.getReason()).contains("funnel cannot read this customer snapshot", "corrupt body");
        assertThat(bytesOf(letter.getKey())).isEqualTo(customer.key().getBytes(StandardCharsets.UTF_8));
        assertThat(bytesOf(letter.getValue())).isEqualTo(truncated);
        FunnelFigure tenant = live(FunnelDimension.TENANT, "acme");
        assertThat(counts(tenant)).containsEntry("NEW", 1L);
        assertThat(stage(tenant, "NEW").getAmount()).isEqualByComparingTo("1000.00");
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @Test
    void theThreadsMetricsCountTheFiguresEmittedAndTheCpuTimeTheyTook() {
        send(aCustomer("c-1").ownedBy("bob", "east").from("web-form", "expo"));
        send(aCustomer("c-2").ownedBy("ann", "east"));
        int written = emit().size();
        send(aCustomer("c-1").ownedBy("bob", "east").from("web-form", "expo").movedTo("CONTACTED", Duration.ofDays(1)));
        written += emit().size();

        assertThat(written).isGreaterThan(20);
        assertThat(emissionMetric(EmissionMetrics.FIGURES_TOTAL)).isEqualTo(written);
        assertThat(emissionMetric(EmissionMetrics.CPU_TOTAL)).isPositive();
    }

    private double emissionMetric(String name) {
        return driver.metrics().entrySet().stream()
                .filter(metric -> metric.getKey().group().equals(EmissionMetrics.GROUP)
                        && metric.getKey().name().equals(name))
                .mapToDouble(metric -> (Double) metric.getValue().metricValue())
                .sum();
    }

    @Test
    void stageChangeMovesTheCustomerAndCountsSkippedStagesAsPassed() {
        Customers customer = aCustomer("c-1").withAmount("1000.00");
        send(customer);
        send(aCustomer("c-2"));
        emit();

        send(customer.movedTo("PROPOSAL", Duration.ofDays(2)));
        emit();

        FunnelFigure tenant = live(FunnelDimension.TENANT, "acme");
        assertThat(counts(tenant)).containsEntry("NEW", 1L).containsEntry("PROPOSAL", 1L);
        assertThat(stage(tenant, "PROPOSAL").getAmount()).isEqualByComparingTo("1000.00");
        assertThat(stage(tenant, "PROPOSAL").getWeightedAmount()).isEqualByComparingTo("500.00");
        assertThat(stage(tenant, "NEW").getAmount()).isEqualByComparingTo("0.00");
        assertThat(reached(tenant))
                .containsEntry("NEW", 2L)
                .containsEntry("CONTACTED", 1L)
                .containsEntry("QUALIFIED", 1L)
                .containsEntry("PROPOSAL", 1L)
                .containsEntry("NEGOTIATION", 0L);
        assertThat(stage(tenant, "NEW").getConversionRate()).isNull();
        assertThat(stage(tenant, "CONTACTED").getConversionRate()).isEqualTo(0.5);
        assertThat(stage(tenant, "PROPOSAL").getConversionRate()).isEqualTo(1.0);
        assertThat(stage(tenant, "NEGOTIATION").getConversionRate()).isEqualTo(0.0);
    }

    @Test
    void amountChangeReplacesTheOldAmount() {
        Customers customer = aCustomer("c-1").withAmount("1000.00");
        send(customer);
        send(customer.withAmount("250.50"));
        emit();

        assertThat(stage(live(FunnelDimension.TENANT, "acme"), "NEW").getAmount())
                .isEqualByComparingTo("250.50");

        send(customer.withAmount(null));
        emit();

        FunnelFigure tenant = live(FunnelDimension.TENANT, "acme");
        assertThat(stage(tenant, "NEW").getAmount()).isEqualByComparingTo("0.00");
        assertThat(stage(tenant, "NEW").getCount()).isEqualTo(1);
    }

    @Test
    void ownerChangeMovesTheCustomerFromOneOwnersFiguresToTheOthers() {
        Customers customer = aCustomer("c-1").ownedBy("bob", "east").withAmount("100.00");
        send(customer);
        emit();

        send(customer.ownedBy("alice", "west"));
        Map<String, FunnelFigure> emitted = emit();

        assertThat(emitted)
                .containsEntry(Keys.funnel("acme", FunnelDimension.OWNER, LIVE, "bob"), null)
                .containsEntry(Keys.funnel("acme", FunnelDimension.TEAM, LIVE, "east"), null)
                .containsEntry(Keys.funnel("acme", FunnelDimension.OWNER, "2026-11", "bob"), null);
        assertThat(counts(live(FunnelDimension.OWNER, "alice"))).containsEntry("NEW", 1L);
        assertThat(counts(live(FunnelDimension.TEAM, "west"))).containsEntry("NEW", 1L);
        // The tenant's figures do not move when only the owner does.
        assertThat(emitted).doesNotContainKey(Keys.funnel("acme", FunnelDimension.TENANT, LIVE, "acme"));
    }

    @Test
    void returnToThePublicPoolLeavesOwnerAndTeamFiguresButNotTheTenants() {
        Customers customer = aCustomer("c-1").ownedBy("bob", "east");
        send(customer);
        send(aCustomer("c-2").ownedBy("bob", "east"));
        emit();

        send(customer.inPublicPool());
        emit();

        assertThat(counts(live(FunnelDimension.OWNER, "bob"))).containsEntry("NEW", 1L);
        assertThat(counts(live(FunnelDimension.TEAM, "east"))).containsEntry("NEW", 1L);
        assertThat(counts(live(FunnelDimension.TENANT, "acme"))).containsEntry("NEW", 2L);
    }

    @Test
    void aCustomerMergedAwayIsNoLongerCounted() {
        Customers survivor = aCustomer("c-1").withAmount("100.00");
        Customers mergedAway = aCustomer("c-2").withAmount("40.00");
        send(survivor);
        send(mergedAway);
        emit();

        customers.pipeInput(mergedAway.key(), null, mergedAway.updatedAt());
        send(survivor.withAmount("140.00"));
        emit();

        FunnelFigure tenant = live(FunnelDimension.TENANT, "acme");
        assertThat(stage(tenant, "NEW").getCount()).isEqualTo(1);
        assertThat(stage(tenant, "NEW").getAmount()).isEqualByComparingTo("140.00");
        assertThat(stage(tenant, "NEW").getReached()).isEqualTo(1);
    }

    @Test
    void theLastCustomerLeavingAFigureDeletesIt() {
        Customers only = aCustomer("c-1").from("web-form", null);
        send(only);
        emit();

        customers.pipeInput(only.key(), null, only.updatedAt());
        Map<String, FunnelFigure> emitted = emit();

        assertThat(emitted)
                .hasSize(8)
                .allSatisfy((key, figure) -> assertThat(figure).isNull());
    }

    @Test
    void wonAndLostCustomersAreCountedAndLostStaysOffThePath() {
        send(aCustomer("c-1")
                .withAmount("100.00")
                .movedTo("PROPOSAL", Duration.ofDays(1))
                .movedTo("WON", Duration.ofDays(1)));
        send(aCustomer("c-2")
                .withAmount("100.00")
                .movedTo("CONTACTED", Duration.ofDays(1))
                .movedTo("LOST", Duration.ofDays(1)));
        send(aCustomer("c-3").movedTo("QUALIFIED", Duration.ofDays(1)));
        emit();

        FunnelFigure tenant = live(FunnelDimension.TENANT, "acme");
        assertThat(tenant.getWon()).isEqualTo(1);
        assertThat(tenant.getLost()).isEqualTo(1);
        assertThat(stage(tenant, "WON").getWeightedAmount()).isEqualByComparingTo("100.00");
        assertThat(stage(tenant, "LOST").getWeightedAmount()).isEqualByComparingTo("0.00");
        assertThat(reached(tenant))
                .containsEntry("NEW", 3L)
                .containsEntry("CONTACTED", 3L)
                .containsEntry("QUALIFIED", 2L)
                .containsEntry("PROPOSAL", 1L)
                .containsEntry("NEGOTIATION", 1L)
                .containsEntry("WON", 1L)
                .containsEntry("LOST", 1L);
        assertThat(stage(tenant, "WON").getConversionRate()).isEqualTo(1.0);
        assertThat(stage(tenant, "LOST").getConversionRate()).isNull();
    }

    @Test
    void aRegressionIsAFurtherVisitAndKeepsHowFarTheCustomerGot() {
        send(aCustomer("c-1").movedTo("PROPOSAL", Duration.ofHours(5)).movedTo("CONTACTED", Duration.ofHours(3)));
        emit();

        FunnelFigure cohort = figure(FunnelDimension.TENANT, "2026-11-27", "acme");
        assertThat(counts(cohort)).containsEntry("CONTACTED", 1L).containsEntry("PROPOSAL", 0L);
        assertThat(reached(cohort)).containsEntry("PROPOSAL", 1L).containsEntry("NEGOTIATION", 0L);
        assertThat(stage(cohort, "NEW").getTimeInStageP50Millis()).isEqualTo(expectedBucket(Duration.ofHours(5)));
        assertThat(stage(cohort, "PROPOSAL").getTimeInStageP50Millis()).isEqualTo(expectedBucket(Duration.ofHours(3)));
        assertThat(stage(cohort, "CONTACTED").getTimeInStageP50Millis()).isNull();
    }

    @Test
    void olderOrRepeatedSnapshotsChangeNothing() {
        Customers customer = aCustomer("c-1").withAmount("100.00");
        send(customer.withVersion(5));
        emit();

        send(aCustomer("c-1")
                .withAmount("999.00")
                .movedTo("WON", Duration.ofDays(1))
                .withVersion(4));
        send(customer.withVersion(5).withAmount("999.00"));

        assertThat(emit()).isEmpty();
    }

    @Test
    void aChangeTheFunnelDoesNotCountIsNeitherSentNorStored() {
        Customers customer = aCustomer("c-1").withAmount("100.00");
        send(customer);
        emit();
        KeyValueStore<String, byte[]> facts = driver.getKeyValueStore(FunnelStores.CUSTOMER_FACTS);
        Deserializer<CustomerFacts> read = FunnelSerdes.facts().deserializer();
        CustomerFacts counted = read.deserialize("t", facts.get(customer.key()));

        // Later versions with the same facts (what a follow-up or a new contact writes), and one of them again.
        send(customer.withVersion(2));
        send(customer.withVersion(3));
        send(customer.withVersion(2));

        assertThat(emit()).isEmpty();
        assertThat(read.deserialize("t", facts.get(customer.key()))).isEqualTo(counted);

        send(customer.withAmount("250.00").withVersion(4));
        send(customer.withAmount("100.00").withVersion(3));
        emit();
        assertThat(stage(live(FunnelDimension.TENANT, "acme"), "NEW").getAmount())
                .isEqualByComparingTo("250.00");
        assertThat(read.deserialize("t", facts.get(customer.key())).version()).isEqualTo(4);
    }

    @Test
    void cohortsAreCutInTheTenantsTimeZone() {
        Instant lateEveningUtc = Instant.parse("2026-11-29T17:30:00Z"); // Monday 01:30 in Shanghai
        rules.pipeInput("globex", rulesOf("globex", 1, TenantRulesDefaults.defaultStages(), "UTC"));
        send(aCustomer("c-1").firstLeadAt(lateEveningUtc));
        send(aCustomer("c-1").ofTenant("globex").firstLeadAt(lateEveningUtc));
        emit();

        assertThat(latest)
                .containsKeys(
                        Keys.funnel("acme", FunnelDimension.TENANT, "2026-11-30", "acme"),
                        Keys.funnel("acme", FunnelDimension.TENANT, "2026-W49", "acme"),
                        Keys.funnel("acme", FunnelDimension.TENANT, "2026-11", "acme"),
                        Keys.funnel("globex", FunnelDimension.TENANT, "2026-11-29", "globex"),
                        Keys.funnel("globex", FunnelDimension.TENANT, "2026-W48", "globex"));
        assertThat(latest).doesNotContainKey(Keys.funnel("acme", FunnelDimension.TENANT, "2026-11-29", "acme"));
    }

    @Test
    void timeInStageIsTheMedianAndP90OfCompletedStaysInTheCohort() {
        Histogram expected = new Histogram(StageTimes.SIGNIFICANT_DIGITS);
        for (int hours = 1; hours <= 10; hours++) {
            send(aCustomer("c-" + hours).movedTo("CONTACTED", Duration.ofHours(hours)));
            expected.recordValue(Duration.ofHours(hours).toMillis());
        }
        emit();

        StageFigure newStage = stage(figure(FunnelDimension.TENANT, "2026-W48", "acme"), "NEW");
        assertThat(newStage.getTimeInStageP50Millis()).isEqualTo(expected.getValueAtPercentile(50));
        assertThat(newStage.getTimeInStageP90Millis()).isEqualTo(expected.getValueAtPercentile(90));
        assertThat(newStage.getTimeInStageP50Millis())
                .isCloseTo(Duration.ofHours(5).toMillis(), org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(stage(live(FunnelDimension.TENANT, "acme"), "NEW").getTimeInStageP50Millis())
                .isNull();
    }

    @Test
    void emitsEachFigureAtMostOncePerIntervalWithItsLatestValue() {
        Customers customer = aCustomer("c-1");
        send(customer);
        send(customer.withAmount("10.00"));
        send(customer.withAmount("20.00"));
        assertThat(funnel.isEmpty()).isTrue();

        driver.advanceWallClockTime(EMIT);
        var records = funnel.readKeyValuesToList();

        String tenantKey = Keys.funnel("acme", FunnelDimension.TENANT, LIVE, "acme");
        assertThat(records).filteredOn(record -> record.key.equals(tenantKey)).hasSize(1);
        assertThat(stage(
                                records.stream()
                                        .filter(record -> record.key.equals(tenantKey))
                                        .findFirst()
                                        .orElseThrow()
                                        .value,
                                "NEW")
                        .getAmount())
                .isEqualByComparingTo("20.00");
        driver.advanceWallClockTime(EMIT);
        assertThat(funnel.isEmpty()).isTrue();
    }

    @Test
    void liveFiguresAreEmittedEveryEmitIntervalAndCohortFiguresEveryCohortEmitInterval() {
        Duration live = FunnelSettings.DEFAULTS.emitInterval();
        Duration cohort = FunnelSettings.DEFAULTS.cohortEmitInterval();
        assertThat(cohort).isGreaterThan(live);
        send(aCustomer("c-1").ownedBy("bob", "east").from("web-form", "expo"));

        driver.advanceWallClockTime(live);
        assertThat(funnel.readKeyValuesToList())
                .extracting(record -> record.value.getKind())
                .hasSize(5)
                .containsOnly(FunnelKind.SNAPSHOT);

        send(aCustomer("c-2").ownedBy("bob", "east").from("web-form", "expo"));
        driver.advanceWallClockTime(cohort.minus(live));
        var cohortsAndLive = funnel.readKeyValuesToList();
        assertThat(cohortsAndLive)
                .filteredOn(record -> record.value.getKind() == FunnelKind.COHORT)
                .hasSize(15)
                .allSatisfy(record -> assertThat(counts(record.value)).containsEntry("NEW", 2L));
        assertThat(cohortsAndLive)
                .filteredOn(record -> record.value.getKind() == FunnelKind.SNAPSHOT)
                .hasSize(5)
                .allSatisfy(record -> assertThat(counts(record.value)).containsEntry("NEW", 2L));

        driver.advanceWallClockTime(cohort);
        assertThat(funnel.isEmpty()).isTrue();
    }

    @Test
    void aRenamedStageStaysVisibleUntilItsCustomersMoveAndProbabilitiesApplyAtOnce() {
        send(aCustomer("c-1").withAmount("1000.00").movedTo("PROPOSAL", Duration.ofDays(1)));
        send(aCustomer("c-2").withAmount("1000.00").movedTo("NEGOTIATION", Duration.ofDays(1)));
        emit();

        List<FunnelStage> stages = new ArrayList<>();
        for (FunnelStage stage : TenantRulesDefaults.defaultStages()) {
            FunnelStage.Builder changed = FunnelStage.newBuilder(stage);
            if (stage.getName().equals("PROPOSAL")) {
                changed.setName("QUOTE");
            }
            if (stage.getName().equals("NEGOTIATION")) {
                changed.setWinProbability(0.9);
            }
            stages.add(changed.build());
        }
        rules.pipeInput("acme", rulesOf("acme", 1, stages, "Asia/Shanghai"));
        driver.advanceWallClockTime(FunnelSettings.DEFAULTS.rulesCheckInterval());
        emit();

        FunnelFigure tenant = live(FunnelDimension.TENANT, "acme");
        assertThat(tenant.getStages())
                .extracting(StageFigure::getStage)
                .containsExactly("NEW", "CONTACTED", "QUALIFIED", "QUOTE", "NEGOTIATION", "WON", "LOST", "PROPOSAL");
        assertThat(stage(tenant, "PROPOSAL").getCount()).isEqualTo(1);
        assertThat(stage(tenant, "PROPOSAL").getWeightedAmount()).isEqualByComparingTo("0.00");
        assertThat(stage(tenant, "PROPOSAL").getConversionRate()).isNull();
        assertThat(stage(tenant, "QUOTE").getReached()).isEqualTo(1);
        assertThat(stage(tenant, "NEGOTIATION").getWeightedAmount()).isEqualByComparingTo("900.00");
        assertThat(counts(tenant).values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(2);
    }

    @Test
    void countsCustomersTheIdentityTopologyCreatesFromLeads() {
        TestInputTopic<String, Lead> leads = driver.createInputTopic(
                Topics.LEADS.name(),
                Topics.LEADS.keySerde().serializer(),
                Topics.LEADS.valueSerde().serializer());
        for (String email : List.of("wang@alpha-trading.cn", "li@beta-steel.cn", "WANG@alpha-trading.cn")) {
            leads.pipeInput(
                    "acme",
                    Lead.newBuilder()
                            .setLeadId("lead-" + email)
                            .setTenant("acme")
                            .setSourceSystem("web-form")
                            .setAttributes(Map.of())
                            .setReceivedAt(Instant.parse("2026-11-27T08:00:00Z"))
                            .setCompany(Company.newBuilder().build())
                            .setContact(Contact.newBuilder().setEmail(email).build())
                            .build());
        }
        emit();

        assertThat(stage(live(FunnelDimension.TENANT, "acme"), "NEW").getCount())
                .isEqualTo(2);
    }

    @Test
    void byDefaultKeepsCohortFiguresForTheTenantSourcesAndCampaignsOnly() {
        driver.close();
        startDriver(LeadflowTopology.build());

        send(aCustomer("c-1").ownedBy("bob", "east").from("web-form", "expo").withAmount("1000.00"));
        Map<String, FunnelFigure> emitted = emit();

        assertThat(emitted).hasSize(5 + 3 * 3);
        for (FunnelDimension dimension : FunnelDimension.values()) {
            assertThat(emitted.keySet().stream().filter(key -> key.contains("/" + dimension + "/live/")))
                    .as("live %s", dimension)
                    .hasSize(1);
        }
        assertThat(emitted)
                .containsKeys(
                        Keys.funnel("acme", FunnelDimension.TENANT, "2026-11", "acme"),
                        Keys.funnel("acme", FunnelDimension.SOURCE, "2026-W48", "web-form"),
                        Keys.funnel("acme", FunnelDimension.CAMPAIGN, "2026-11-27", "expo"))
                .doesNotContainKeys(
                        Keys.funnel("acme", FunnelDimension.OWNER, "2026-11", "bob"),
                        Keys.funnel("acme", FunnelDimension.TEAM, "2026-11", "east"));
        assertThat(stage(figure(FunnelDimension.OWNER, LIVE, "bob"), "NEW").getCount())
                .isEqualTo(1);
    }

    @Test
    void figuresDroppedFromMemoryAreReadBackAsTheyWere() {
        FunnelSettings settings = ALL_COHORTS.withSnapshotInterval(Duration.ofSeconds(1));

        Map<String, FunnelFigure> allKept = figuresAfterChanges(settings);
        Map<String, FunnelFigure> fewKept = figuresAfterChanges(settings.withFiguresKept(3));

        assertThat(allKept).hasSizeGreaterThan(40);
        assertThat(fewKept).isEqualTo(allKept);
    }

    @Test
    void customersFactsKeptOnTheHeapGiveTheSameFigures() {
        Map<String, FunnelFigure> inRocksDb = figuresAfterChanges(ALL_COHORTS.withFactsStore(StoreBacking.ROCKSDB));
        assertThat(driver.getKeyValueStore(FunnelStores.CUSTOMER_FACTS).persistent())
                .isTrue();

        Map<String, FunnelFigure> onTheHeap = figuresAfterChanges(ALL_COHORTS.withFactsStore(StoreBacking.IN_MEMORY));
        assertThat(driver.getKeyValueStore(FunnelStores.CUSTOMER_FACTS).persistent())
                .isFalse();

        assertThat(inRocksDb).hasSizeGreaterThan(40);
        assertThat(onTheHeap).isEqualTo(inRocksDb);
    }

    /**
     * Customers of three owners over four days, changed in rounds; between rounds the figures are emitted and
     * written, so with few figures kept most are dropped and read back from the store in the next round.
     */
    private Map<String, FunnelFigure> figuresAfterChanges(FunnelSettings settings) {
        driver.close();
        latest.clear();
        StreamsBuilder builder = new StreamsBuilder();
        FunnelTopology.build(builder, settings);
        Topology topology = builder.build();
        TenantRulesStore.addTo(topology);
        startDriver(topology);
        List<Customers> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            all.add(aCustomer("c-" + i)
                    .firstLeadAt(Instant.parse("2026-11-24T09:00:00Z").plus(Duration.ofDays(i % 4)))
                    .ownedBy("owner-" + i % 3, "team-" + i % 2)
                    .from("web-form", "expo-" + i % 2)
                    .withAmount(i + "000.00"));
        }
        List<String> stages = List.of("CONTACTED", "QUALIFIED", "PROPOSAL", "LOST", "NEGOTIATION", "WON");
        for (int round = 0; round < 6; round++) {
            for (int i = 0; i < all.size(); i++) {
                Customers customer = all.get(i);
                switch ((i + round) % 4) {
                    case 0 -> customer.movedTo(stages.get((i + round) % stages.size()), Duration.ofHours(5 + i));
                    case 1 -> customer.withAmount((round * 7 + i) + "00.50");
                    case 2 -> customer.ownedBy("owner-" + (i + round) % 3, "team-" + (i + round) % 2);
                    default -> customer.inPublicPool();
                }
                send(customer);
            }
            emit();
            driver.advanceWallClockTime(settings.snapshotInterval());
        }
        return new HashMap<>(latest);
    }

    private void send(Customers customer) {
        customers.pipeInput(customer.key(), customer.build(), customer.updatedAt());
    }

    /** Lets the emit punctuator run and returns what it wrote (null values are tombstones). */
    private Map<String, FunnelFigure> emit() {
        driver.advanceWallClockTime(EMIT);
        Map<String, FunnelFigure> emitted = funnel.readKeyValuesToMap();
        latest.putAll(emitted);
        return emitted;
    }

    private FunnelFigure live(FunnelDimension dimension, String value) {
        return figure(dimension, LIVE, value);
    }

    private FunnelFigure figure(FunnelDimension dimension, String period, String value) {
        FunnelFigure figure = latest.get(Keys.funnel("acme", dimension, period, value));
        assertThat(figure).as("figure %s/%s/%s", dimension, period, value).isNotNull();
        return figure;
    }

    private static StageFigure stage(FunnelFigure figure, String name) {
        return figure.getStages().stream()
                .filter(stage -> stage.getStage().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no stage " + name + " in " + figure));
    }

    private static Map<String, Long> counts(FunnelFigure figure) {
        Map<String, Long> counts = new HashMap<>();
        figure.getStages().forEach(stage -> counts.put(stage.getStage(), stage.getCount()));
        return counts;
    }

    private static Map<String, Long> reached(FunnelFigure figure) {
        Map<String, Long> reached = new HashMap<>();
        figure.getStages().forEach(stage -> reached.put(stage.getStage(), stage.getReached()));
        return reached;
    }

    private static long expectedBucket(Duration stay) {
        Histogram histogram = new Histogram(StageTimes.SIGNIFICANT_DIGITS);
        histogram.recordValue(stay.toMillis());
        return histogram.getValueAtPercentile(50);
    }

    static TenantRules rulesOf(String tenant, long version, List<FunnelStage> stages, String zone) {
        return TenantRules.newBuilder(TenantRulesDefaults.forTenant(tenant))
                .setVersion(version)
                .setStages(stages)
                .setTimeZone(zone)
                .build();
    }
}
