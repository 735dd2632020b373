package io.leadflow.ingest.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The ingest service's business metrics: {@code leadflow.ingest.accepted} (tags {@code kind}, {@code source})
 * and {@code leadflow.ingest.refused} (tags {@code kind}, {@code reason}, {@code source}). Produce latency is
 * timed by the publisher ({@code leadflow.ingest.produce}).
 */
@Component
public class IngestMetrics {

    private static final String UNKNOWN_SOURCE = "unknown";

    private final MeterRegistry registry;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void accepted(String kind, String source, long count) {
        if (count > 0) {
            counter("leadflow.ingest.accepted", kind, null, source).increment(count);
        }
    }

    /** A refusal before anything was read, e.g. an unknown key: the kind is not known yet. */
    public void refused(String source, String reason, long count) {
        refused("request", source, reason, count);
    }

    public void refused(String kind, String source, String reason, long count) {
        if (count > 0) {
            counter("leadflow.ingest.refused", kind, reason, source).increment(count);
        }
    }

    private Counter counter(String name, String kind, String reason, String source) {
        Counter.Builder builder =
                Counter.builder(name).tag("kind", kind).tag("source", source == null ? UNKNOWN_SOURCE : source);
        if (reason != null) {
            builder.tag("reason", reason);
        }
        return builder.register(registry);
    }
}
