package io.leadflow.processor.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadflow.avro.Claim;
import io.leadflow.avro.CommandOutcome;
import io.leadflow.avro.CommandResult;
import io.leadflow.avro.Contact;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.Lead;
import io.leadflow.avro.OwnerFigures;
import io.leadflow.avro.PoolCommand;
import io.leadflow.avro.PoolEvent;
import io.leadflow.avro.PoolEventType;
import io.leadflow.avro.Release;
import io.leadflow.processor.LeadflowTopology;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.KafkaTestClient;
import io.leadflow.testsupport.SharedKafka;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * Two processor instances on the real broker, one of them in its own JVM; many threads claim and release
 * the same customers at once while that JVM is killed with {@code kill -9}. Afterwards every command has
 * exactly one answer, every customer has exactly one holder (or none), the holders and per-owner
 * counts in the snapshots equal a recount from the pool events, and each owner's figures were emitted once per
 * change (sequences 1, 2, 3, … without a gap or a repeat) and, at the last, equal that recount and the claims
 * accepted: nothing was lost or applied twice.
 */
class PoolFailoverIT {

    private static final int TENANTS = 6;
    private static final int CUSTOMERS_PER_TENANT = 12;
    private static final int COMMANDS = 600;
    private static final List<String> USERS = List.of("alice", "bob", "carol", "dave", "erin");
    private static final Duration WITHIN = Duration.ofSeconds(90);

    @Test
    void claimsRaceAndAnInstanceDiesYetEveryCustomerHasExactlyOneHolder() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String applicationId = "pool-failover-" + run;
        SharedKafka.createAllTopics();
        KafkaTestClient kafka = SharedKafka.client();

        Process victim = startInstanceInItsOwnJvm(applicationId);
        KafkaStreams survivor = new KafkaStreams(
                LeadflowTopology.build(),
                StreamsInstance.config(
                        SharedKafka.bootstrapServers(),
                        applicationId,
                        Files.createTempDirectory("survivor").toString()));
        survivor.start();
        try {
            List<String> tenants = new ArrayList<>();
            for (int t = 0; t < TENANTS; t++) {
                tenants.add("fo-" + run + "-" + t);
            }
            Map<String, List<String>> customers = createCustomers(kafka, tenants);

            List<PoolCommand> commands = randomCommands(tenants, customers);
            ExecutorService senders = Executors.newFixedThreadPool(8);
            for (int i = 0; i < commands.size(); i++) {
                PoolCommand command = commands.get(i);
                senders.submit(() -> kafka.produce(Topics.COMMANDS, command.getTenant(), command));
                if (i == commands.size() / 3) {
                    victim.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // kill -9, mid-run
                }
            }
            senders.shutdown();
            assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            Map<String, List<CommandResult>> answers = await().atMost(WITHIN)
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> answersTo(kafka, run), found -> found.size() == commands.size());
            assertThat(answers.values()).allSatisfy(each -> assertThat(each).hasSize(1));

            Map<String, CustomerSnapshot> latest = latestSnapshots(kafka, run);
            List<PoolEvent> events =
                    kafka.readAll(Topics.POOL_EVENTS, Duration.ofSeconds(2), Duration.ofSeconds(60)).stream()
                            .map(ConsumerRecord::value)
                            .filter(event -> event.getTenant().startsWith("fo-" + run))
                            .toList();
            Map<String, String> holderFromEvents = new HashMap<>();
            for (PoolEvent event : events) {
                String key = event.getTenant() + "/" + event.getCustomerId();
                if (event.getType() == PoolEventType.CLAIMED) {
                    assertThat(holderFromEvents.get(key))
                            .as("claimed while held: " + key)
                            .isNull();
                    holderFromEvents.put(key, event.getToOwner());
                } else if (event.getType() == PoolEventType.RELEASED || event.getType() == PoolEventType.RETURNED) {
                    holderFromEvents.put(key, null);
                }
            }
            for (Map.Entry<String, CustomerSnapshot> customer : latest.entrySet()) {
                assertThat(customer.getValue().getOwner())
                        .as("holder of " + customer.getKey())
                        .isEqualTo(holderFromEvents.get(customer.getKey()));
            }
            Map<String, Long> perOwnerFromSnapshots = latest.values().stream()
                    .filter(customer -> customer.getOwner() != null)
                    .collect(Collectors.groupingBy(c -> c.getTenant() + "|" + c.getOwner(), Collectors.counting()));
            Map<String, Long> perOwnerFromEvents = holderFromEvents.entrySet().stream()
                    .filter(entry -> entry.getValue() != null)
                    .collect(Collectors.groupingBy(
                            entry -> entry.getKey().substring(0, entry.getKey().indexOf('/')) + "|" + entry.getValue(),
                            Collectors.counting()));
            assertThat(perOwnerFromSnapshots).isEqualTo(perOwnerFromEvents);
            long acceptedClaims = answers.values().stream()
                    .map(each -> each.get(0))
                    .filter(result -> result.getOutcome() == CommandOutcome.ACCEPTED)
                    .filter(result ->
                            commandById(commands, result.getCommandId()).getPayload() instanceof Claim)
                    .count();
            long claimedEvents = events.stream()
                    .filter(e -> e.getType() == PoolEventType.CLAIMED)
                    .count();
            assertThat(claimedEvents).isEqualTo(acceptedClaims);
            assertFiguresEqualTheRecount(kafka, run, perOwnerFromSnapshots, answers, commands);
        } finally {
            victim.destroyForcibly();
            survivor.close(new KafkaStreams.CloseOptions().timeout(Duration.ofSeconds(20)));
        }
    }

    private static void assertFiguresEqualTheRecount(
            KafkaTestClient kafka,
            String run,
            Map<String, Long> heldPerOwner,
            Map<String, List<CommandResult>> answers,
            List<PoolCommand> commands) {
        Map<String, List<OwnerFigures>> figures =
                kafka.readAll(Topics.OWNER_FIGURES, Duration.ofSeconds(2), Duration.ofSeconds(60)).stream()
                        .map(ConsumerRecord::value)
                        .filter(each -> each.getTenant().startsWith("fo-" + run))
                        .collect(Collectors.groupingBy(each -> each.getTenant() + "|" + each.getOwner()));
        Map<String, Long> claimsPerOwner = answers.values().stream()
                .map(each -> each.get(0))
                .filter(result -> result.getOutcome() == CommandOutcome.ACCEPTED)
                .map(result -> commandById(commands, result.getCommandId()))
                .filter(command -> command.getPayload() instanceof Claim)
                .collect(Collectors.groupingBy(c -> c.getTenant() + "|" + c.getActor(), Collectors.counting()));
        assertThat(figures.keySet()).as("owners with figures").isEqualTo(claimsPerOwner.keySet());
        boolean oneDay = figures.values().stream()
                        .map(each -> each.get(each.size() - 1).getDay())
                        .distinct()
                        .count()
                == 1;
        for (Map.Entry<String, List<OwnerFigures>> owner : figures.entrySet()) {
            List<OwnerFigures> emitted = owner.getValue();
            assertThat(emitted)
                    .as("sequences of " + owner.getKey())
                    .extracting(OwnerFigures::getSequence)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, emitted.size())
                            .boxed()
                            .toList());
            OwnerFigures last = emitted.get(emitted.size() - 1);
            assertThat(last.getHeld())
                    .as("held of " + owner.getKey())
                    .isEqualTo(heldPerOwner.getOrDefault(owner.getKey(), 0L));
            if (oneDay) { // unless the run crossed midnight in the tenant's time zone
                assertThat(last.getClaimsToday())
                        .as("claims of " + owner.getKey())
                        .isEqualTo(claimsPerOwner.get(owner.getKey()));
            }
        }
    }

    private static Map<String, List<String>> createCustomers(KafkaTestClient kafka, List<String> tenants) {
        for (String tenant : tenants) {
            for (int c = 0; c < CUSTOMERS_PER_TENANT; c++) {
                kafka.produce(
                        Topics.LEADS,
                        tenant,
                        Lead.newBuilder()
                                .setLeadId("lead-" + c)
                                .setTenant(tenant)
                                .setSourceSystem("it")
                                .setContact(Contact.newBuilder()
                                        .setEmail("buyer" + c + "@company" + c + ".example")
                                        .build())
                                .setAttributes(Map.of())
                                .setReceivedAt(Instant.now())
                                .build());
            }
        }
        String prefix = tenants.get(0).substring(0, tenants.get(0).lastIndexOf('-'));
        Map<String, CustomerSnapshot> created = await().atMost(WITHIN)
                .pollInterval(Duration.ofSeconds(2))
                .until(
                        () -> latestSnapshots(kafka, prefix.substring(3)),
                        found -> found.size() == TENANTS * CUSTOMERS_PER_TENANT);
        return created.values().stream()
                .collect(Collectors.groupingBy(
                        CustomerSnapshot::getTenant,
                        Collectors.mapping(CustomerSnapshot::getCustomerId, Collectors.toList())));
    }

    private static List<PoolCommand> randomCommands(List<String> tenants, Map<String, List<String>> customers) {
        Random random = new Random(42);
        List<PoolCommand> commands = new ArrayList<>();
        for (int i = 0; i < COMMANDS; i++) {
            String tenant = tenants.get(random.nextInt(tenants.size()));
            List<String> ids = customers.get(tenant);
            commands.add(PoolCommand.newBuilder()
                    .setCommandId("cmd-" + i + "-" + UUID.randomUUID())
                    .setTenant(tenant)
                    .setActor(USERS.get(random.nextInt(USERS.size())))
                    .setActorRoles(List.of("sales"))
                    .setIssuedAt(Instant.now())
                    .setCustomerId(ids.get(random.nextInt(ids.size())))
                    .setPayload(random.nextInt(4) == 0 ? new Release("race") : new Claim())
                    .build());
        }
        return commands;
    }

    private static Map<String, List<CommandResult>> answersTo(KafkaTestClient kafka, String run) {
        return kafka.readAll(Topics.COMMAND_RESULTS, Duration.ofSeconds(1), Duration.ofSeconds(30)).stream()
                .map(ConsumerRecord::value)
                .filter(result -> result.getTenant().startsWith("fo-" + run))
                .collect(Collectors.groupingBy(CommandResult::getCommandId));
    }

    private static Map<String, CustomerSnapshot> latestSnapshots(KafkaTestClient kafka, String run) {
        return kafka.latestByKey(Topics.CUSTOMERS, Duration.ofSeconds(2), Duration.ofSeconds(20)).entrySet().stream()
                .filter(entry -> entry.getKey().startsWith("fo-" + run))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static PoolCommand commandById(List<PoolCommand> commands, String id) {
        return commands.stream()
                .filter(c -> c.getCommandId().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private static Process startInstanceInItsOwnJvm(String applicationId) throws Exception {
        Path stateDir = Files.createTempDirectory("victim");
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.leadflow.avro",
                        "-cp",
                        System.getProperty("java.class.path"),
                        StreamsInstance.class.getName(),
                        SharedKafka.bootstrapServers(),
                        applicationId,
                        stateDir.toString())
                .redirectErrorStream(true)
                .start();
        BufferedReader output =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(
                () -> output.lines().filter(line -> line.equals("RUNNING")).findFirst());
        reader.start();
        reader.join(Duration.ofSeconds(60).toMillis());
        Thread drain = new Thread(() -> output.lines().forEach(line -> {}));
        drain.setDaemon(true);
        drain.start();
        return process;
    }
}
