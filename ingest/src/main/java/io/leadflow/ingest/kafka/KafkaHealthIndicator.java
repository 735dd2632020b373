package io.leadflow.ingest.kafka;

import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Health {@code kafka}: up when the cluster answers within a few seconds. It is part of the readiness
 * group, so a load balancer stops sending traffic that could only be answered {@code 503}.
 */
@Component("kafka")
class KafkaHealthIndicator extends AbstractReactiveHealthIndicator {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;

    KafkaHealthIndicator(Admin ingestAdmin) {
        super("Kafka health check failed");
        this.admin = ingestAdmin;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return Mono.fromCallable(admin::describeCluster)
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(cluster -> Mono.fromFuture(
                                cluster.clusterId().toCompletionStage().toCompletableFuture())
                        .zipWith(Mono.fromFuture(
                                cluster.nodes().toCompletionStage().toCompletableFuture())))
                .timeout(TIMEOUT)
                .map(idAndNodes -> builder.up()
                        .withDetail("clusterId", idAndNodes.getT1())
                        .withDetail("nodes", idAndNodes.getT2().size())
                        .build());
    }
}
