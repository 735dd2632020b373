package io.leadflow.processor.pool;

import io.leadflow.avro.Activity;
import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.Assign;
import io.leadflow.avro.Claim;
import io.leadflow.avro.CommandResult;
import io.leadflow.avro.Contact;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.DeadLetter;
import io.leadflow.avro.FollowUpType;
import io.leadflow.avro.Lead;
import io.leadflow.avro.Lock;
import io.leadflow.avro.OwnerFigures;
import io.leadflow.avro.PoolCommand;
import io.leadflow.avro.PoolEvent;
import io.leadflow.avro.PoolRuleSet;
import io.leadflow.avro.Release;
import io.leadflow.avro.TenantRules;
import io.leadflow.avro.Transfer;
import io.leadflow.avro.Unlock;
import io.leadflow.processor.LeadflowTopology;
import io.leadflow.processor.identity.IdentityStores;
import io.leadflow.processor.rules.TenantRulesDefaults;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.TopicSpec;
import io.leadflow.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Drives the whole processor topology for pool scenarios: one tenant, a clock that moves record time and
 * wall-clock time together, and readers for what comes out.
 */
final class PoolDriver implements AutoCloseable {

    static final String TENANT = "acme";
    static final Instant START = Instant.parse("2026-11-02T01:00:00Z");

    private final TopologyTestDriver driver;
    private final TestInputTopic<String, Lead> leads;
    private final TestInputTopic<String, PoolCommand> commands;
    private final TestInputTopic<String, Activity> activities;
    private final TestInputTopic<String, TenantRules> rules;
    private final TestOutputTopic<String, CommandResult> results;
    private final TestOutputTopic<String, PoolEvent> events;
    private final TestOutputTopic<String, CustomerSnapshot> snapshots;
    private final TestOutputTopic<String, DeadLetter> deadLetters;
    private final TestOutputTopic<String, OwnerFigures> ownerFigures;
    private final List<PoolEvent> seenEvents = new ArrayList<>();
    private final List<KeyValue<String, OwnerFigures>> seenFigures = new ArrayList<>();
    private final Path stateDir = temporaryDirectory();
    private Instant now = START;
    private long rulesVersion = 1;

    PoolDriver() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "pool-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // A directory of its own: with the default /tmp/kafka-streams, test JVMs running at once (other
        // checkouts on the same machine) would open the same persistent stores and see each other's state.
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(LeadflowTopology.build(), config, START);
        leads = input(Topics.LEADS);
        commands = input(Topics.COMMANDS);
        activities = input(Topics.ACTIVITIES);
        rules = input(Topics.TENANT_RULES);
        results = output(Topics.COMMAND_RESULTS);
        events = output(Topics.POOL_EVENTS);
        snapshots = output(Topics.CUSTOMERS);
        deadLetters = output(Topics.DEAD_LETTER);
        ownerFigures = output(Topics.OWNER_FIGURES);
    }

    /** The tenant's default rules with the default rule set changed by {@code change}. */
    static TenantRules.Builder rulesWith(Consumer<PoolRuleSet.Builder> change) {
        TenantRules defaults = TenantRulesDefaults.forTenant(TENANT);
        PoolRuleSet.Builder set = PoolRuleSet.newBuilder(defaults.getDefaults());
        change.accept(set);
        return TenantRules.newBuilder(defaults).setDefaults(set.build());
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("pool-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Instant now() {
        return now;
    }

    /** Moves record time and wall-clock time forward together; due punctuations run. */
    void advance(Duration duration) {
        now = now.plus(duration);
        driver.advanceWallClockTime(duration);
    }

    void rules(TenantRules.Builder tenantRules) {
        rules.pipeInput(
                TENANT, tenantRules.setTenant(TENANT).setVersion(rulesVersion++).build(), now);
        driver.advanceWallClockTime(Duration.ZERO);
    }

    /** A lead that founds a customer of its own; returns the customer's id. */
    String newCustomer(String email) {
        return newCustomer(email, null, null);
    }

    String newCustomer(String email, String intendedOwner, String level) {
        String leadId = "lead-" + UUID.randomUUID();
        leads.pipeInput(
                TENANT,
                Lead.newBuilder()
                        .setLeadId(leadId)
                        .setTenant(TENANT)
                        .setSourceSystem("web-form")
                        .setContact(Contact.newBuilder().setEmail(email).build())
                        .setIntendedOwner(intendedOwner)
                        .setLevel(level)
                        .setAttributes(Map.of())
                        .setReceivedAt(now)
                        .build(),
                now);
        List<CustomerSnapshot> written = snapshots.readValuesToList();
        if (written.isEmpty()) {
            throw new AssertionError("lead " + leadId + " made no customer; dead letters: " + deadLetters());
        }
        return written.get(written.size() - 1).getCustomerId();
    }

    CommandResult claim(String user, String customerId) {
        return command(user, List.of("sales"), customerId, new Claim());
    }

    CommandResult release(String user, String customerId, String reason) {
        return command(user, List.of("sales"), customerId, new Release(reason));
    }

    CommandResult assign(String user, List<String> roles, String customerId, String toOwner, boolean force) {
        return command(user, roles, customerId, new Assign(toOwner, force));
    }

    CommandResult transfer(String user, List<String> roles, String customerId, String toOwner, boolean force) {
        return command(user, roles, customerId, new Transfer(null, toOwner, force));
    }

    CommandResult lock(String user, String customerId) {
        return command(user, List.of("sales"), customerId, new Lock("key account"));
    }

    CommandResult unlock(String user, String customerId) {
        return command(user, List.of("sales"), customerId, new Unlock());
    }

    CommandResult command(String user, List<String> roles, String customerId, Object payload) {
        return send(PoolCommand.newBuilder()
                .setCommandId("cmd-" + UUID.randomUUID())
                .setTenant(TENANT)
                .setActor(user)
                .setActorRoles(roles)
                .setIssuedAt(now)
                .setCustomerId(customerId)
                .setPayload(payload)
                .build());
    }

    CommandResult send(PoolCommand command) {
        commands.pipeInput(TENANT, command, now);
        List<CommandResult> answers = results.readValuesToList();
        if (answers.size() != 1) {
            throw new AssertionError("expected one answer, got " + answers);
        }
        return answers.get(0);
    }

    void followUp(String customerId) {
        activity(customerId, ActivityKind.FOLLOW_UP, null, null);
    }

    void activity(String customerId, ActivityKind kind, String stage, BigDecimal amount) {
        activity("act-" + UUID.randomUUID(), customerId, kind, stage, amount);
    }

    /** An activity with the given id, as a sender's retry sends it again. */
    void activity(String activityId, String customerId, ActivityKind kind, String stage, BigDecimal amount) {
        activities.pipeInput(
                TENANT,
                Activity.newBuilder()
                        .setActivityId(activityId)
                        .setTenant(TENANT)
                        .setCustomerId(customerId)
                        .setKind(kind)
                        .setFollowUpType(kind == ActivityKind.FOLLOW_UP ? FollowUpType.CALL : null)
                        .setStage(stage)
                        .setAmount(amount)
                        .setOccurredAt(now)
                        .setReceivedAt(now)
                        .build(),
                now);
    }

    /** Every pool event emitted so far, oldest first. */
    List<PoolEvent> events() {
        seenEvents.addAll(events.readValuesToList());
        return List.copyOf(seenEvents);
    }

    /** The latest snapshot of a customer, from the topology's store. */
    CustomerSnapshot customer(String customerId) {
        snapshots.readValuesToList();
        byte[] stored = driver.<String, byte[]>getKeyValueStore("customers").get(Keys.customer(TENANT, customerId));
        return Topics.CUSTOMERS.valueSerde().deserializer().deserialize(Topics.CUSTOMERS.name(), stored);
    }

    /** Every owner figure emitted so far with its record key, oldest first. */
    List<KeyValue<String, OwnerFigures>> ownerFigures() {
        seenFigures.addAll(ownerFigures.readKeyValuesToList());
        return List.copyOf(seenFigures);
    }

    /** The figures emitted for one owner so far, oldest first. */
    List<OwnerFigures> figuresOf(String owner) {
        return ownerFigures().stream()
                .map(record -> record.value)
                .filter(figures -> figures.getOwner().equals(owner))
                .toList();
    }

    /** The figures last emitted for each owner. */
    Map<String, OwnerFigures> latestFigures() {
        Map<String, OwnerFigures> latest = new java.util.HashMap<>();
        ownerFigures().forEach(record -> latest.put(record.value.getOwner(), record.value));
        return latest;
    }

    /**
     * Drops an owner's last emitted figures from the processor's store, as if they predated the topic: their load
     * stays, where the processor kept loads then.
     */
    void forgetFigures(String owner) {
        OwnerLoad load = load(owner);
        driver.<String, byte[]>getKeyValueStore(PoolStores.OWNER_FIGURES).delete(PoolStores.key(TENANT, owner));
        if (load.held() > 0) {
            driver.<String, String>getKeyValueStore(PoolStores.OWNER_LOAD)
                    .put(PoolStores.key(TENANT, owner), load.encode());
        }
    }

    /**
     * Rewrites an owner's store entries as an earlier version kept them: the figures last emitted alone, the load
     * in a store of its own.
     */
    void storeOwnerAsEarlierVersion(String owner) {
        String key = PoolStores.key(TENANT, owner);
        OwnerLoad load = load(owner);
        byte[] figures = OwnerFiguresPublisher.OwnerEntry.figuresIn(rawOwnerEntry(owner));
        driver.<String, byte[]>getKeyValueStore(PoolStores.OWNER_FIGURES).put(key, figures);
        if (load.held() > 0) {
            driver.<String, String>getKeyValueStore(PoolStores.OWNER_LOAD).put(key, load.encode());
        }
    }

    /** The owner's entry in the owner-figures store, as stored; null when none. */
    byte[] rawOwnerEntry(String owner) {
        return driver.<String, byte[]>getKeyValueStore(PoolStores.OWNER_FIGURES).get(PoolStores.key(TENANT, owner));
    }

    /** The owner's entry in the store of loads that earlier versions kept; null when none. */
    String earlierLoad(String owner) {
        return driver.<String, String>getKeyValueStore(PoolStores.OWNER_LOAD).get(PoolStores.key(TENANT, owner));
    }

    List<DeadLetter> deadLetters() {
        return deadLetters.readValuesToList();
    }

    /** What the owner holds, as the processor's stores say. */
    OwnerLoad load(String owner) {
        byte[] stored = rawOwnerEntry(owner);
        return OwnerFiguresPublisher.OwnerEntry.isCombined(stored)
                ? OwnerFiguresPublisher.OwnerEntry.decode(stored).load()
                : OwnerLoad.decode(earlierLoad(owner));
    }

    /**
     * The values written so far to the customers topic and to the customers store's changelog, as bytes, oldest
     * first. Reads the customers topic: call before {@link #customer}, which reads it too.
     */
    Map.Entry<List<byte[]>, List<byte[]>> customersTopicAndChangelog() {
        return Map.entry(
                rawValues(Topics.CUSTOMERS.name()), rawValues("pool-test-" + IdentityStores.CUSTOMERS + "-changelog"));
    }

    private List<byte[]> rawValues(String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer())
                .readValuesToList();
    }

    /** The customer's entry in the schedules store, as stored; null when it has none. */
    String storedSchedule(String customerId) {
        return driver.<String, String>getKeyValueStore(PoolStores.SCHEDULES).get(Keys.customer(TENANT, customerId));
    }

    /** Puts a customer's entry in the schedules store, as an earlier version of the processor wrote it. */
    void storeSchedule(String customerId, String schedule) {
        driver.<String, String>getKeyValueStore(PoolStores.SCHEDULES).put(Keys.customer(TENANT, customerId), schedule);
    }

    long deadlineEntries() {
        long count = 0;
        try (var all =
                driver.<String, String>getKeyValueStore(PoolStores.DEADLINES).all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }

    @Override
    public void close() {
        driver.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <V> TestInputTopic<String, V> input(TopicSpec<String, V> topic) {
        return driver.createInputTopic(
                topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(TopicSpec<String, V> topic) {
        return driver.createOutputTopic(
                topic.name(),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }
}
