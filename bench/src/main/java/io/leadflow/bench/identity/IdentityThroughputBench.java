package io.leadflow.bench.identity;

import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.Lead;
import io.leadflow.matching.MatchEngine;
import io.leadflow.processor.LeadflowTopology;
import io.leadflow.processor.Outputs;
import io.leadflow.processor.command.CommandTopology;
import io.leadflow.processor.identity.IdentityStores;
import io.leadflow.processor.identity.IdentityTopology;
import io.leadflow.schemas.AvroTrust;
import io.leadflow.schemas.TopicSpec;
import io.leadflow.schemas.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Identity resolution throughput through the processor's real topology ({@link LeadflowTopology}, RocksDB
 * stores) in a {@link TopologyTestDriver}: one stream thread, no broker, so the figure is the per-thread
 * processing ceiling (Avro decoding, matching, state reads and writes, output encoding), not end-to-end.
 *
 * <p>Phase 1 loads the index with distinct companies (one lead each) up to the requested size or the
 * time budget; phase 2 times rounds of fresh leads (half repeat-customers with noisy fields, half new
 * companies) and prints the median; then index bytes per customer (keys + values of the identity index
 * and blocking stores, before RocksDB compression).
 *
 * <pre>… IdentityThroughputBench 1000000 20000 240   # customers, leads per round, load budget (s)</pre>
 */
public final class IdentityThroughputBench {

    private static final String TENANT = "bench";
    private static final int ROUNDS = 5;

    private IdentityThroughputBench() {}

    public static void main(String[] args) throws IOException {
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        long budgetNanos = (args.length > 2 ? Long.parseLong(args[2]) : 240) * 1_000_000_000L;
        Path stateDir = Files.createTempDirectory(
                Path.of(System.getProperty("bench.stateDir", System.getProperty("java.io.tmpdir"))), "identity-bench");
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "identity-bench");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        B2bLeadGenerator generator = new B2bLeadGenerator(7);
        boolean full = Boolean.getBoolean("bench.fullTopology");
        Report.print(
                full
                        ? "topology: LeadflowTopology.build() (all features, RocksDB; TopologyTestDriver flushes every store after each record)"
                        : "topology: command routing + identity, in-memory stores (changelogged), TopologyTestDriver, one thread");
        try (TopologyTestDriver driver =
                new TopologyTestDriver(full ? LeadflowTopology.build() : identityOnly(), config)) {
            TestInputTopic<String, Lead> leads = driver.createInputTopic(
                    Topics.LEADS.name(),
                    Serdes.String().serializer(),
                    Topics.LEADS.valueSerde().serializer());
            List<TestOutputTopic<byte[], byte[]>> outputs = new ArrayList<>();
            for (String topic : List.of(
                    Topics.CUSTOMERS.name(),
                    Topics.POOL_EVENTS.name(),
                    Topics.IDENTITY_EVENTS.name(),
                    Topics.DEAD_LETTER.name())) {
                outputs.add(driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
            }
            List<B2bLeadGenerator.Entity> known = new ArrayList<>();
            long start = System.nanoTime();
            int loaded = 0;
            while (loaded < customers && System.nanoTime() - start < budgetNanos) {
                B2bLeadGenerator.Entity entity = generator.entity("e" + loaded);
                if (loaded % 10 == 0) {
                    known.add(entity);
                }
                leads.pipeInput(TENANT, lead(generator.lead(entity)), Instant.EPOCH);
                loaded++;
                if (loaded % 5_000 == 0) {
                    drain(outputs);
                }
            }
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            drain(outputs);
            Report.print(String.format(
                    "loaded %,d customers in %.0f s (%.0f leads/s while the index grew)",
                    loaded, loadSeconds, loaded / loadSeconds));

            List<Double> rates = new ArrayList<>();
            int next = loaded;
            for (int round = 0; round < ROUNDS; round++) {
                List<Lead> batch = new ArrayList<>(perRound);
                for (int i = 0; i < perRound; i++) {
                    B2bLeadGenerator.Entity entity = i % 2 == 0
                            ? known.get((round * perRound + i) % known.size())
                            : generator.entity("e" + next++);
                    batch.add(lead(generator.lead(entity)));
                }
                long roundStart = System.nanoTime();
                for (int i = 0; i < batch.size(); i++) {
                    leads.pipeInput(TENANT, batch.get(i), Instant.EPOCH);
                    if (i % 5_000 == 4_999) {
                        drain(outputs);
                    }
                }
                drain(outputs);
                double rate = perRound / ((System.nanoTime() - roundStart) / 1e9);
                rates.add(rate);
                Report.print(String.format("round %d: %,.0f leads/s", round + 1, rate));
            }
            rates.sort(Double::compare);
            Report.print(String.format(
                    "median over %d rounds of %,d leads: %,.0f leads/s per stream thread (index of %,d+ customers)",
                    ROUNDS, perRound, rates.get(ROUNDS / 2), loaded));
            long indexBytes = bytes(driver.getKeyValueStore(IdentityStores.IDENTITY_INDEX));
            long blockBytes = bytes(driver.getKeyValueStore(IdentityStores.IDENTITY_BLOCKS));
            int total = next;
            Report.print(String.format(
                    "index bytes per customer: %.0f exact keys + %.0f blocking entries = %.0f (logical key+value bytes, %,d customers)",
                    (double) indexBytes / total,
                    (double) blockBytes / total,
                    (double) (indexBytes + blockBytes) / total,
                    total));
        }
    }

    /** Identity resolution alone, with in-memory stores, and the sinks it writes to. */
    private static Topology identityOnly() {
        AvroTrust.trustGeneratedClasses();
        Topology topology = new Topology();
        List<String> writers = new ArrayList<>(CommandTopology.build(topology, IdentityTopology.commandRoutes()));
        writers.addAll(IdentityTopology.build(
                topology, MatchEngine.crm(IdentityTopology.DEFAULT_REGION), IdentityStores.Backing.IN_MEMORY));
        String[] parents = writers.toArray(String[]::new);
        addSink(topology, Outputs.CUSTOMERS_SINK, Topics.CUSTOMERS, parents);
        addSink(topology, Outputs.POOL_EVENTS_SINK, Topics.POOL_EVENTS, parents);
        addSink(topology, Outputs.IDENTITY_EVENTS_SINK, Topics.IDENTITY_EVENTS, parents);
        addSink(topology, Outputs.COMMAND_RESULTS_SINK, Topics.COMMAND_RESULTS, parents);
        addSink(topology, Outputs.DEAD_LETTER_SINK, Topics.DEAD_LETTER, parents);
        return topology;
    }

    private static <V> void addSink(Topology topology, String name, TopicSpec<String, V> topic, String... parents) {
        topology.addSink(
                name,
                topic.name(),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer(),
                parents);
    }

    private static Lead lead(Map<String, String> fields) {
        return Lead.newBuilder()
                .setLeadId(fields.get(B2bLeadGenerator.ID))
                .setTenant(TENANT)
                .setSourceSystem("bench")
                .setCompany(Company.newBuilder()
                        .setName(fields.get("name"))
                        .setCreditCode(fields.get("creditCode"))
                        .setWebsite(fields.get("website"))
                        .build())
                .setContact(Contact.newBuilder()
                        .setEmail(fields.get("email"))
                        .setPhone(fields.get("phone"))
                        .setMobile(fields.get("mobile"))
                        .build())
                .setAttributes(Map.of())
                .setReceivedAt(Instant.EPOCH)
                .build();
    }

    private static void drain(List<TestOutputTopic<byte[], byte[]>> outputs) {
        outputs.forEach(output -> output.readRecordsToList());
    }

    private static long bytes(KeyValueStore<String, String> store) {
        long bytes = 0;
        try (KeyValueIterator<String, String> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, String> entry = all.next();
                bytes += entry.key.getBytes(StandardCharsets.UTF_8).length
                        + entry.value.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return bytes;
    }
}
