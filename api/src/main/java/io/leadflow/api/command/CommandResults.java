package io.leadflow.api.command;

import io.leadflow.api.ApiProperties;
import io.leadflow.avro.CommandResult;
import io.leadflow.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * This instance's reader of the command-results topic: every api instance reads every partition from the end
 * (no consumer group), and hands each result to the requests waiting for its command id, if they are on this
 * instance (several, when a client retries a command with the same idempotency key while the first request still
 * waits). A request registers before it sends its command, so its result cannot pass unseen.
 */
@Component
class CommandResults implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CommandResults.class);

    /** Command id → the requests waiting for its result; lists are only changed inside the map's compute. */
    private final Map<String, List<Sinks.One<CommandResult>>> waiting = new ConcurrentHashMap<>();

    private final String bootstrapServers;
    private final Duration pollTimeout;
    private Scheduler pollThread;
    private KafkaConsumer<String, CommandResult> consumer;
    private Disposable loop;
    private volatile boolean running;

    CommandResults(ApiProperties properties, @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.pollTimeout = properties.commands().resultsPollTimeout();
    }

    /**
     * Registers a waiter for {@code commandId}, then runs {@code exchange} with the result to come (which sends
     * the command and awaits it). The waiter is removed whatever happens, however the exchange ends: with its
     * outcome, a timeout, a refused send (the result is then never subscribed to) or a cancelled request.
     */
    <T> Mono<T> exchange(String commandId, Function<Mono<CommandResult>, Mono<T>> exchange) {
        return Mono.defer(() -> {
            Sinks.One<CommandResult> sink = Sinks.one();
            waiting.compute(commandId, (id, sinks) -> {
                List<Sinks.One<CommandResult>> list = sinks == null ? new ArrayList<>(1) : sinks;
                list.add(sink);
                return list;
            });
            // Forgotten before the outcome or error goes downstream (doFinally would run after it, so a caller
            // could still see the waiter), and on cancellation.
            return exchange.apply(sink.asMono())
                    .doOnTerminate(() -> forget(commandId, sink))
                    .doOnCancel(() -> forget(commandId, sink));
        });
    }

    private void forget(String commandId, Sinks.One<CommandResult> sink) {
        waiting.computeIfPresent(commandId, (id, sinks) -> {
            sinks.remove(sink);
            return sinks.isEmpty() ? null : sinks;
        });
    }

    /** How many requests of this instance wait for an outcome (a gauge, and what tests check for leaks). */
    int waiting() {
        return waiting.values().stream().mapToInt(List::size).sum();
    }

    @Override
    public void start() {
        pollThread = Schedulers.newSingle("command-results");
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(
                config,
                Topics.COMMAND_RESULTS.keySerde().deserializer(),
                Topics.COMMAND_RESULTS.valueSerde().deserializer());
        running = true;
        // Assign and position before the api takes requests: a result produced after start-up is never missed.
        Mono.fromRunnable(this::assignAtEnd).subscribeOn(pollThread).toFuture().join();
        loop = Flux.defer(() -> Mono.fromRunnable(this::pollOnce).subscribeOn(pollThread))
                .repeat(() -> running)
                .subscribe(null, error -> log.error("command results reader stopped", error));
    }

    private void assignAtEnd() {
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.COMMAND_RESULTS.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    private void pollOnce() {
        ConsumerRecords<String, CommandResult> records;
        try {
            records = consumer.poll(pollTimeout);
        } catch (WakeupException e) {
            return;
        } catch (RecordDeserializationException e) {
            log.error("skipping unreadable command result at {}@{}", e.topicPartition(), e.offset());
            consumer.seek(e.topicPartition(), e.offset() + 1);
            return;
        }
        for (ConsumerRecord<String, CommandResult> record : records) {
            if (record.value() != null) {
                deliver(record.value());
            }
        }
    }

    /** Hands a result to the requests waiting for it on this instance, if any. */
    void deliver(CommandResult result) {
        List<Sinks.One<CommandResult>> sinks = waiting.remove(result.getCommandId());
        if (sinks != null) {
            sinks.forEach(sink -> sink.tryEmitValue(result));
        }
    }

    @Override
    public void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (loop != null) {
            loop.dispose();
        }
        if (pollThread != null) {
            Mono.fromRunnable(() -> consumer.close(Duration.ofSeconds(5)))
                    .subscribeOn(pollThread)
                    .onErrorResume(e -> Mono.empty())
                    .toFuture()
                    .join();
            pollThread.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
