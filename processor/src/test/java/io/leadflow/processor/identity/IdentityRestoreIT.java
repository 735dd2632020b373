package io.leadflow.processor.identity;

import static io.leadflow.processor.identity.Leads.aLead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadflow.avro.Contact;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.Lead;
import io.leadflow.avro.MatchKey;
import io.leadflow.avro.MatchKeyKind;
import io.leadflow.matching.KeyKind;
import io.leadflow.matching.KeyRules;
import io.leadflow.processor.Changelogs;
import io.leadflow.processor.LeadflowTopology;
import io.leadflow.processor.funnel.FunnelSettings;
import io.leadflow.processor.pool.PoolStores;
import io.leadflow.processor.pool.StreamsInstance;
import io.leadflow.processor.state.StoreBacking;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.KafkaTestClient;
import io.leadflow.testsupport.SharedKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Identity state survives an instance that goes away, whichever way it is kept: an instance resolves leads and
 * stops; a second one, with an empty state directory, must have rebuilt the identity index, the customers and the
 * leads seen from the changelogs, so a repeated lead is still ignored and a lead sharing an e-mail with an earlier
 * one joins that customer instead of founding a second. With {@code in-memory} the stores leave nothing on disk.
 */
class IdentityRestoreIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    @ParameterizedTest
    @EnumSource(StoreBacking.class)
    void aNewInstanceResolvesAgainstTheIdentityStateTheFirstOneBuilt(StoreBacking backing) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String tenant =
                "restore-" + run + "-" + backing.name().toLowerCase(Locale.ROOT).replace('_', '-');
        String applicationId = "identity-" + tenant;
        SharedKafka.createAllTopics();
        KafkaTestClient kafka = SharedKafka.client();

        Path firstStateDir = Files.createTempDirectory("identity-first");
        try (KafkaStreams first = start(applicationId, firstStateDir, backing)) {
            for (int i = 0; i < 3; i++) {
                send(kafka, aLead("l-" + i).ofTenant(tenant).withEmail("buyer" + i + "@company" + i + ".example"));
            }
            await().atMost(WITHIN).until(() -> customersOf(kafka, tenant).size() == 3);
            List<Path> onDisk = storeDirectories(firstStateDir, IdentityStores.IDENTITY_INDEX);
            if (backing == StoreBacking.ROCKSDB) {
                assertThat(onDisk).as("identity index on disk, one per task").isNotEmpty();
            } else {
                assertThat(onDisk).as("identity index on disk").isEmpty();
                assertThat(storeDirectories(firstStateDir, PoolStores.DEADLINES))
                        .as("the pool's stores on disk all the same")
                        .isNotEmpty();
            }
        }

        try (KafkaStreams second = start(applicationId, Files.createTempDirectory("identity-second"), backing)) {
            send(kafka, aLead("l-0").ofTenant(tenant).withEmail("someone.else@elsewhere.example"));
            send(kafka, aLead("l-3").ofTenant(tenant).withEmail("BUYER1@company1.example"));
            send(kafka, aLead("l-4").ofTenant(tenant).withEmail("buyer4@company4.example"));
            await().atMost(WITHIN).until(() -> customersOf(kafka, tenant).size() == 4);

            Map<List<String>, List<String>> emailsByLeads = customersOf(kafka, tenant).values().stream()
                    .collect(Collectors.toMap(CustomerSnapshot::getLeadIds, IdentityRestoreIT::emails));
            assertThat(emailsByLeads)
                    .as("l-3 is company 1's, l-4 is new, and l-0 again is a repeat: ignored, not refounded")
                    .containsOnlyKeys(List.of("l-0"), List.of("l-1", "l-3"), List.of("l-2"), List.of("l-4"))
                    .containsEntry(List.of("l-0"), List.of("buyer0@company0.example"));
        }
    }

    /**
     * An upgrade onto an index of earlier key rules: the state a version that kept the dots of a Gmail address is
     * written to the changelogs (as that version left it, under key rules 1), and an instance with an empty state
     * directory restores it, re-keys the customer and sends its new snapshot; then a lead with the address as the
     * first lead wrote it joins that customer instead of founding a second.
     */
    @Test
    void anInstanceStartedOnAnIndexOfEarlierKeyRulesRekeysItSoALeadSpelledAsBeforeJoins() throws Exception {
        String tenant = "rekey-" + UUID.randomUUID().toString().substring(0, 8);
        String applicationId = "identity-" + tenant;
        SharedKafka.createAllTopics();
        KafkaTestClient kafka = SharedKafka.client();
        String current = IdentityStores.indexKey(tenant, KeyKind.EMAIL.name(), "wangwei@gmail.com");
        String earlier = IdentityStores.indexKey(tenant, KeyKind.EMAIL.name(), "wang.wei@gmail.com");

        CustomerSnapshot founded;
        try (KafkaStreams first =
                start(applicationId, Files.createTempDirectory("identity-rekey"), StoreBacking.ROCKSDB)) {
            send(kafka, aLead("l-1").ofTenant(tenant).withEmail("Wang.Wei@gmail.com"));
            await().atMost(WITHIN).until(() -> customersOf(kafka, tenant).size() == 1);
            founded = customersOf(kafka, tenant).values().iterator().next();
        }
        String index = Changelogs.of(applicationId, IdentityStores.IDENTITY_INDEX);
        int partition = Changelogs.partitionHolding(index, current);
        Changelogs.write(index, partition, current, null);
        Changelogs.write(index, partition, earlier, bytes(founded.getCustomerId()));
        Changelogs.write(index, partition, IndexRekeying.RULES, bytes("1"));
        CustomerSnapshot asEarlierRulesKeptIt = CustomerSnapshot.newBuilder(founded)
                .setMatchKeys(List.of(new MatchKey(MatchKeyKind.EMAIL, "wang.wei@gmail.com")))
                .build();
        Changelogs.write(
                Changelogs.of(applicationId, IdentityStores.CUSTOMERS),
                partition,
                Keys.customer(tenant, founded.getCustomerId()),
                Topics.CUSTOMERS.valueSerde().serializer().serialize(Topics.CUSTOMERS.name(), asEarlierRulesKeptIt));

        try (KafkaStreams second =
                start(applicationId, Files.createTempDirectory("identity-rekey"), StoreBacking.ROCKSDB)) {
            await().atMost(WITHIN)
                    .untilAsserted(() -> assertThat(customersOf(kafka, tenant).values())
                            .singleElement()
                            .satisfies(customer -> {
                                assertThat(customer.getVersion()).isEqualTo(founded.getVersion() + 1);
                                assertThat(customer.getMatchKeys()).containsAll(founded.getMatchKeys());
                            }));

            send(kafka, aLead("l-2").ofTenant(tenant).withEmail("Wang.Wei@gmail.com"));
            await().atMost(WITHIN)
                    .untilAsserted(() -> assertThat(customersOf(kafka, tenant).values())
                            .singleElement()
                            .satisfies(customer ->
                                    assertThat(customer.getLeadIds()).containsExactly("l-1", "l-2")));
        }
        Map<String, byte[]> indexed = Changelogs.latestValues(index);
        assertThat(indexed.get(current))
                .as("the key as these rules spell it")
                .isEqualTo(bytes(founded.getCustomerId()));
        assertThat(indexed.get(IndexRekeying.RULES)).isEqualTo(bytes(String.valueOf(KeyRules.VERSION)));
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static KafkaStreams start(String applicationId, Path stateDir, StoreBacking backing) {
        KafkaStreams streams = new KafkaStreams(
                LeadflowTopology.build(FunnelSettings.DEFAULTS, backing),
                StreamsInstance.config(SharedKafka.bootstrapServers(), applicationId, stateDir.toString()));
        streams.start();
        return streams;
    }

    private static void send(KafkaTestClient kafka, Leads lead) {
        Lead built = lead.build();
        kafka.produce(Topics.LEADS, built.getTenant(), built);
    }

    private static Map<String, CustomerSnapshot> customersOf(KafkaTestClient kafka, String tenant) {
        return kafka.latestByKey(Topics.CUSTOMERS, Duration.ofMillis(500), Duration.ofSeconds(20)).entrySet().stream()
                .filter(entry -> entry.getValue().getTenant().equals(tenant))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static List<String> emails(CustomerSnapshot customer) {
        return customer.getContacts().stream().map(Contact::getEmail).toList();
    }

    /** The RocksDB directories named {@code store} under a Kafka Streams state directory. */
    private static List<Path> storeDirectories(Path stateDir, String store) throws IOException {
        try (Stream<Path> files = Files.walk(stateDir)) {
            return files.filter(path -> Files.isDirectory(path)
                            && path.getFileName().toString().equals(store))
                    .toList();
        }
    }
}
