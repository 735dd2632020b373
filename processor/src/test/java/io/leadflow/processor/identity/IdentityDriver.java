package io.leadflow.processor.identity;

import io.leadflow.avro.CheckDuplicate;
import io.leadflow.avro.CommandResult;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.DeadLetter;
import io.leadflow.avro.IdentityEvent;
import io.leadflow.avro.Lead;
import io.leadflow.avro.Merge;
import io.leadflow.avro.PoolCommand;
import io.leadflow.avro.PoolEvent;
import io.leadflow.processor.LeadflowTopology;
import io.leadflow.processor.TestStateDir;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.TopicSpec;
import io.leadflow.schemas.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Test fixture: the processor's whole topology in a {@link TopologyTestDriver}, with the identity
 * topics at hand and a way to give a customer an owner (normally the pool lifecycle's job).
 */
final class IdentityDriver implements AutoCloseable {

    static final String TENANT = "acme";
    static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");

    final TopologyTestDriver driver;
    final TestInputTopic<String, Lead> leads;
    final TestInputTopic<String, byte[]> rawLeads;
    final TestInputTopic<String, PoolCommand> commands;
    final TestOutputTopic<String, CustomerSnapshot> customers;
    final TestOutputTopic<String, PoolEvent> poolEvents;
    final TestOutputTopic<String, IdentityEvent> identityEvents;
    final TestOutputTopic<String, CommandResult> results;
    final TestOutputTopic<String, DeadLetter> deadLetters;

    IdentityDriver() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "identity-test");
        config.put(StreamsConfig.STATE_DIR_CONFIG, TestStateDir.ofThisJvm());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(LeadflowTopology.build(), config, NOW);
        leads = input(Topics.LEADS);
        rawLeads = driver.createInputTopic(
                Topics.LEADS.name(),
                Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        commands = input(Topics.COMMANDS);
        customers = output(Topics.CUSTOMERS);
        poolEvents = output(Topics.POOL_EVENTS);
        identityEvents = output(Topics.IDENTITY_EVENTS);
        results = output(Topics.COMMAND_RESULTS);
        deadLetters = output(Topics.DEAD_LETTER);
    }

    /** Sends the lead and returns the customer snapshot it produced (the last one written). */
    CustomerSnapshot send(Leads lead) {
        Lead value = lead.build();
        leads.pipeInput(value.getTenant(), value, NOW);
        List<CustomerSnapshot> written = customers.readValuesToList();
        return written.isEmpty() ? null : written.get(written.size() - 1);
    }

    CommandResult merge(String survivorId, String mergedId, String actor, List<String> roles) {
        return command("merge-" + mergedId, actor, roles, new Merge(survivorId, mergedId));
    }

    CommandResult check(CheckDuplicate check) {
        return command("check-1", "u-zhang", List.of("sales"), check);
    }

    CommandResult command(String commandId, String actor, List<String> roles, Object payload) {
        PoolCommand command = PoolCommand.newBuilder()
                .setCommandId(commandId)
                .setTenant(TENANT)
                .setActor(actor)
                .setActorRoles(roles)
                .setIssuedAt(NOW)
                .setPayload(payload)
                .build();
        commands.pipeInput(TENANT, command, NOW);
        Map<String, CommandResult> answers = results.readKeyValuesToMap();
        return answers.get(Keys.commandResult(TENANT, commandId));
    }

    /** The stored customer. */
    CustomerSnapshot stored(String customerId) {
        return Topics.CUSTOMERS
                .valueSerde()
                .deserializer()
                .deserialize(Topics.CUSTOMERS.name(), customerStore().get(Keys.customer(TENANT, customerId)));
    }

    /** Changes the stored customer as the pool lifecycle would (e.g. gives it an owner). */
    CustomerSnapshot change(String customerId, UnaryOperator<CustomerSnapshot.Builder> change) {
        CustomerSnapshot changed =
                change.apply(CustomerSnapshot.newBuilder(stored(customerId))).build();
        customerStore()
                .put(
                        Keys.customer(TENANT, customerId),
                        Topics.CUSTOMERS.valueSerde().serializer().serialize(Topics.CUSTOMERS.name(), changed));
        return changed;
    }

    /** The customers store holds snapshots as encoded for the customers topic. */
    private KeyValueStore<String, byte[]> customerStore() {
        return driver.getKeyValueStore(IdentityStores.CUSTOMERS);
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

    @Override
    public void close() {
        driver.close();
    }
}
