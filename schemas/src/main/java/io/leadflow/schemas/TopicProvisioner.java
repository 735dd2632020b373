package io.leadflow.schemas;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics of a catalogue that do not exist yet. Existing topics are left exactly as they
 * are (their partitions and configs are not changed), and a topic that another process creates at the
 * same moment counts as existing, so every service may provision on start-up.
 */
public final class TopicProvisioner {

    private TopicProvisioner() {}

    /**
     * Creates the missing topics among {@code specs} through {@code admin}.
     *
     * @return the names of the topics this call created
     * @throws TimeoutException if the broker did not answer within {@code timeout}
     * @throws KafkaException if a topic could not be created for another reason
     */
    public static Set<String> ensureTopics(
            Admin admin, Collection<? extends TopicSpec<?, ?>> specs, short replicationFactor, Duration timeout) {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        Map<String, NewTopic> wanted = byName(specs, replicationFactor);
        long deadline = System.nanoTime() + timeout.toNanos();

        Set<String> existing = await(
                admin.listTopics(new ListTopicsOptions().timeoutMs(remainingMillis(deadline)))
                        .names(),
                deadline,
                "list topics",
                timeout);
        List<NewTopic> missing = wanted.values().stream()
                .filter(topic -> !existing.contains(topic.name()))
                .toList();
        if (missing.isEmpty()) {
            return Set.of();
        }

        Map<String, KafkaFuture<Void>> results = admin.createTopics(
                        missing, new CreateTopicsOptions().timeoutMs(remainingMillis(deadline)))
                .values();
        Set<String> created = new TreeSet<>();
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            try {
                await(result.getValue(), deadline, "create topic " + result.getKey(), timeout);
                created.add(result.getKey());
            } catch (TopicExistsException e) {
                // Another instance created it between our listing and our request: that is success.
            }
        }
        return Set.copyOf(created);
    }

    /**
     * Creates the missing topics among {@code specs} on the cluster at {@code bootstrapServers}, with a
     * short-lived admin client.
     *
     * @see #ensureTopics(Admin, Collection, short, Duration)
     */
    public static Set<String> ensureTopics(
            String bootstrapServers,
            Collection<? extends TopicSpec<?, ?>> specs,
            short replicationFactor,
            Duration timeout) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return ensureTopics(admin, specs, replicationFactor, timeout);
        }
    }

    private static Map<String, NewTopic> byName(Collection<? extends TopicSpec<?, ?>> specs, short replicationFactor) {
        Objects.requireNonNull(specs, "specs");
        Map<String, TopicSpec<?, ?>> unique = new LinkedHashMap<>();
        for (TopicSpec<?, ?> spec : specs) {
            TopicSpec<?, ?> previous = unique.putIfAbsent(spec.name(), spec);
            if (previous != null && !previous.equals(spec)) {
                throw new IllegalArgumentException("Two different specs for topic " + spec.name());
            }
        }
        Map<String, NewTopic> topics = new LinkedHashMap<>();
        unique.forEach((name, spec) -> topics.put(name, spec.toNewTopic(replicationFactor)));
        return topics;
    }

    private static <T> T await(KafkaFuture<T> future, long deadline, String what, Duration timeout) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            throw new InterruptException("Interrupted while waiting to " + what, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("Could not " + what + " within " + timeout, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TopicExistsException exists) {
                throw exists;
            }
            if (cause instanceof TimeoutException) {
                throw new TimeoutException("Could not " + what + " within " + timeout, cause);
            }
            throw new KafkaException("Could not " + what + ": " + cause, cause);
        }
    }

    private static int remainingMillis(long deadline) {
        long millis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
    }
}
