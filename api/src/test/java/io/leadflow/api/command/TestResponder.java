package io.leadflow.api.command;

import io.leadflow.avro.Claim;
import io.leadflow.avro.CommandOutcome;
import io.leadflow.avro.CommandResult;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.PoolCommand;
import io.leadflow.avro.RefusalReason;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.SharedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Stands in for the processor's pool lifecycle until it lands: reads the commands of one tenant and answers
 * claims like the processor would (the first claim of a customer wins, later ones are ALREADY_OWNED; a customer
 * {@code customers} does not know, null, is NOT_FOUND); a customer named in {@code silent} is never answered.
 */
public final class TestResponder implements AutoCloseable {

    private final String tenant;
    private final Function<String, CustomerSnapshot> customers;
    private final String silent;
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final AtomicInteger received = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    /** How many commands of its tenant it has read. */
    public int received() {
        return received.get();
    }

    public TestResponder(String tenant, Function<String, CustomerSnapshot> customers, String silent) {
        this.tenant = tenant;
        this.customers = customers;
        this.silent = silent;
        this.thread = new Thread(this::run, "test-responder-" + tenant);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        try (KafkaConsumer<String, PoolCommand> consumer = new KafkaConsumer<>(
                config,
                Topics.COMMANDS.keySerde().deserializer(),
                Topics.COMMANDS.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.COMMANDS.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            while (running) {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> {
                    PoolCommand command = record.value();
                    if (command != null && tenant.equals(command.getTenant())) {
                        answer(command);
                    }
                });
            }
        }
    }

    private void answer(PoolCommand command) {
        received.incrementAndGet();
        if (silent.equals(command.getCustomerId())) {
            return;
        }
        CommandResult.Builder result = CommandResult.newBuilder()
                .setCommandId(command.getCommandId())
                .setTenant(tenant)
                .setCustomerId(command.getCustomerId())
                .setDecidedAt(Instant.now());
        if (!(command.getPayload() instanceof Claim)) {
            result.setOutcome(CommandOutcome.REFUSED).setReason(RefusalReason.INVALID);
        } else if (customers.apply(command.getCustomerId()) == null) {
            result.setOutcome(CommandOutcome.REFUSED).setReason(RefusalReason.NOT_FOUND);
        } else if (owners.putIfAbsent(command.getCustomerId(), command.getActor()) == null) {
            CustomerSnapshot snapshot = customers.apply(command.getCustomerId());
            snapshot.setOwner(command.getActor());
            snapshot.setPoolId(null);
            snapshot.setVersion(snapshot.getVersion() + 1);
            result.setOutcome(CommandOutcome.ACCEPTED).setSnapshot(snapshot);
            SharedKafka.client().produce(Topics.CUSTOMERS, Keys.customer(tenant, snapshot.getCustomerId()), snapshot);
        } else {
            result.setOutcome(CommandOutcome.REFUSED)
                    .setReason(RefusalReason.ALREADY_OWNED)
                    .setMessage("held by " + owners.get(command.getCustomerId()));
        }
        SharedKafka.client()
                .produce(Topics.COMMAND_RESULTS, Keys.commandResult(tenant, command.getCommandId()), result.build());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
