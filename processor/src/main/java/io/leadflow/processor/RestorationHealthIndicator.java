package io.leadflow.processor;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Whether this instance is doing its share of the work: up when Kafka Streams is {@code RUNNING}, which it is
 * only once every active task it was given has restored its stores from their changelogs (it stays {@code
 * REBALANCING} until then: {@code RestorationHealthIT}). {@link StreamsHealthIndicator} is up while it
 * rebalances too, so it would call an instance healthy that resolves no lead yet, and restoring in-memory stores
 * takes about 30 s per million customers. The details say how far restoration has come. Part of the readiness
 * group, not of liveness: a restoring instance must not be restarted.
 */
@Component("restoration")
class RestorationHealthIndicator implements HealthIndicator {

    static final String UPDATER_GROUP = "stream-state-updater-metrics";
    static final String RESTORING_TASKS = "active-restoring-tasks";
    static final String TASK_GROUP = "stream-task-metrics";
    static final String RECORDS_LEFT = "restore-remaining-records-total";

    private final StreamsRunner runner;

    RestorationHealthIndicator(StreamsRunner runner) {
        this.runner = runner;
    }

    @Override
    public Health health() {
        return of(runner.streams());
    }

    /** The readiness of {@code streams}, or down when it is null (not started, or stopped). */
    static Health of(KafkaStreams streams) {
        if (streams == null) {
            return Health.down().withDetail("state", "NOT_STARTED").build();
        }
        KafkaStreams.State state = streams.state();
        Map<MetricName, ? extends Metric> metrics = streams.metrics();
        Health.Builder health = state == KafkaStreams.State.RUNNING ? Health.up() : Health.down();
        return health.withDetail("state", state.name())
                .withDetail("restoringTasks", sum(metrics, UPDATER_GROUP, RESTORING_TASKS))
                .withDetail("recordsToRestore", sum(metrics, TASK_GROUP, RECORDS_LEFT))
                .build();
    }

    /** The sum of one metric over its threads or tasks; metrics of a replaced thread are gone with it. */
    static long sum(Map<MetricName, ? extends Metric> metrics, String group, String name) {
        double sum = 0;
        for (Map.Entry<MetricName, ? extends Metric> metric : metrics.entrySet()) {
            if (metric.getKey().name().equals(name)
                    && metric.getKey().group().equals(group)
                    && metric.getValue().metricValue() instanceof Number value) {
                sum += value.doubleValue();
            }
        }
        return Math.round(sum);
    }
}
