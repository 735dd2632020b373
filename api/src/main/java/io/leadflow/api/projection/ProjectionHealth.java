package io.leadflow.api.projection;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Health of the read model: DOWN when the projection has stopped polling (so a load balancer takes the
 * instance out of readiness), UP otherwise, with the lag per topic as detail.
 */
@Component("projection")
class ProjectionHealth implements ReactiveHealthIndicator {

    private final ProjectionConsumer projection;

    ProjectionHealth(ProjectionConsumer projection) {
        this.projection = projection;
    }

    @Override
    public Mono<Health> health() {
        ProjectionStatus status = projection.status();
        Health.Builder health = status.stalled() ? Health.down() : Health.up();
        health.withDetail("lag", status.totalLag()).withDetail("lagByTopic", status.lagByTopic());
        if (status.lastPollAt() != null) {
            health.withDetail("lastPollAt", status.lastPollAt().toString());
        }
        if (status.lastFailure() != null) {
            health.withDetail("lastFailure", status.lastFailure().toString());
        }
        return Mono.just(health.build());
    }
}
