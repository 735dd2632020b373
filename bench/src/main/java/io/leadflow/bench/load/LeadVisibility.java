package io.leadflow.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lead → customer visible in the api. Every lead the processor resolves yields one pool event naming it
 * ({@code reason = "lead <leadId>"}): {@code CREATED} when it founded a customer, {@code LEAD_LINKED} when it
 * joined one. Both belong to the tenant's default public pool's live stream ({@code GET
 * /api/v1/streams/pools/public}: a new customer carries its pool id even when it got an owner, a linked lead's
 * event carries none). So a lead is <em>visible</em> when its event arrives on that stream: the processor
 * committed the customer, the api projected the event into PostgreSQL and pushed it to the stream. Latency
 * counts from the lead's scheduled send time.
 *
 * <p>It also remembers which customer each lead went to, and runs what waits for a lead (an activity or
 * command on its customer) once the lead is visible.
 */
final class LeadVisibility {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Marks a lead sent outside the measured window (warm-up): tracked, not counted. */
    private static final long NOT_COUNTED = Long.MIN_VALUE;

    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    private final Map<String, String> customers = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<String>>> waiting = new ConcurrentHashMap<>();
    private final Histogram latency = LoadReport.micros();
    private final Recorder interval = new Recorder(1, 3_600_000_000L, 3);
    private final AtomicLong seen = new AtomicLong();

    /**
     * The lead is about to be sent; its visibility counts from {@code scheduledNanos} when {@code counted}
     * (sent in the measured window), else it is only tracked.
     */
    void expect(String tenant, String leadId, long scheduledNanos, boolean counted) {
        pending.put(key(tenant, leadId), counted ? scheduledNanos : NOT_COUNTED);
    }

    /**
     * The lead was refused or never sent: it will not become visible, so what waits for it is told now (with
     * {@code null}) unless another lead of the same id made it visible already.
     */
    void refused(String tenant, String leadId) {
        String key = key(tenant, leadId);
        pending.remove(key);
        List<Consumer<String>> ready;
        synchronized (this) {
            if (customers.containsKey(key)) {
                return;
            }
            ready = waiting.remove(key);
        }
        if (ready != null) {
            ready.forEach(action -> action.accept(null));
        }
    }

    /** A listener for the pool stream of {@code tenant}. */
    SseStream.Listener listenerFor(String tenant) {
        return (event, data, receivedNanos) -> {
            if (!"pool-event".equals(event)) {
                return;
            }
            JsonNode body = JSON.readTree(data);
            String reason = body.path("reason").asString("");
            String type = body.path("type").asString("");
            if (reason.startsWith("lead ") && (type.equals("CREATED") || type.equals("LEAD_LINKED"))) {
                visible(
                        tenant,
                        reason.substring("lead ".length()),
                        body.path("customerId").asString(),
                        receivedNanos);
            }
        };
    }

    /**
     * Gives {@code action} the lead's customer id once the lead is visible: now if it is, else on the stream's
     * thread when it becomes so; {@code null} if the lead was refused.
     */
    void whenVisible(String tenant, String leadId, Consumer<String> action) {
        String key = key(tenant, leadId);
        String customer;
        synchronized (this) {
            customer = customers.get(key);
            if (customer == null) {
                waiting.computeIfAbsent(key, k -> new ArrayList<>()).add(action);
                return;
            }
        }
        action.accept(customer);
    }

    Optional<String> customerOf(String tenant, String leadId) {
        return Optional.ofNullable(customers.get(key(tenant, leadId)));
    }

    Histogram latency() {
        return latency;
    }

    /** Leads sent and not yet visible. */
    int pendingCount() {
        return pending.size();
    }

    /** Latencies of the counted leads that became visible since the last call. */
    Histogram intervalLatency() {
        return interval.getIntervalHistogram();
    }

    long seen() {
        return seen.get();
    }

    /** Actions still waiting for a lead. */
    int waitingCount() {
        synchronized (this) {
            return waiting.values().stream().mapToInt(List::size).sum();
        }
    }

    private void visible(String tenant, String leadId, String customerId, long receivedNanos) {
        String key = key(tenant, leadId);
        seen.incrementAndGet();
        Long scheduled = pending.remove(key);
        if (scheduled != null && scheduled != NOT_COUNTED) {
            long micros = Math.max(1, Math.min(3_600_000_000L, (receivedNanos - scheduled) / 1_000));
            LoadReport.record(latency, micros);
            interval.recordValue(micros);
        }
        List<Consumer<String>> ready;
        synchronized (this) {
            customers.put(key, customerId);
            ready = waiting.remove(key);
        }
        if (ready != null) {
            ready.forEach(action -> action.accept(customerId));
        }
    }

    private static String key(String tenant, String leadId) {
        return tenant + "\u0000" + leadId;
    }
}
