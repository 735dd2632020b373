package io.leadflow.ingest.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The ingest service's business metrics: {@code leadflow.ingest.accepted} (tags {@code kind}, {@code source})
 * and {@code leadflow.ingest.refused} (tags {@code kind}, {@code reason}, {@code source}). Produce latency is
 * timed by the publisher ({@code leadflow.ingest.produce}).
 *
 * <p>Each counter is looked up in the registry once and kept: registering on every request built the meter's id
 * and ran it through the registry's filters each time. The keys are few (kinds, reasons and the sources of the
 * configured API keys, plus one for callers without a known key).
 */
@Component
public class IngestMetrics {

    private static final String UNKNOWN_SOURCE = "unknown";

    private record Key(String name, String kind, String reason, String source) {}

    private final MeterRegistry registry;
    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

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
        Key key = new Key(name, kind, reason, source == null ? UNKNOWN_SOURCE : source);
        Counter counter = counters.get(key);
        return counter != null ? counter : counters.computeIfAbsent(key, this::register);
    }

    private Counter register(Key key) {
        Counter.Builder builder =
                Counter.builder(key.name()).tag("kind", key.kind()).tag("source", key.source());
        if (key.reason() != null) {
            builder.tag("reason", key.reason());
        }
        return builder.register(registry);
    }
}
