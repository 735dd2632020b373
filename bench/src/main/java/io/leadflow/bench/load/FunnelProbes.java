package io.leadflow.bench.load;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stage change → funnel figure visible on the api's live funnel stream. A figure is an aggregate, so a
 * single change can only be recognised in a figure that nothing else moves: each probe customer is the only
 * customer of its own campaign ({@code load-probe-N}), and the driver moves it one stage at a time (never
 * back to the stage it is in). The change is <em>visible</em> when {@code GET
 * /api/v1/streams/funnel?dimension=CAMPAIGN} sends that campaign's live figure with the customer in the new
 * stage: the activity went through ingest, the processor's pool lifecycle and funnel aggregation (one stream
 * thread, shared with the workload, in the same tenant's task), the api's projection and its stream. Latency
 * counts from the change's scheduled send time. A figure that shows a later change also completes the earlier
 * ones of that customer (activities of a tenant are applied in order).
 */
final class FunnelProbes {

    static final List<String> CYCLE = List.of("CONTACTED", "QUALIFIED", "PROPOSAL", "NEGOTIATION");
    private static final String CAMPAIGN_PREFIX = "load-probe-";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A change sent to a probe customer, not yet seen; {@code counted}: sent in the measured window. */
    private record Pending(String stage, long scheduledNanos, boolean counted) {}

    private final String tenant;
    private final List<Deque<Pending>> pending = new ArrayList<>();
    private final int[] moves;
    private final Histogram latency = LoadReport.micros();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();

    FunnelProbes(String tenant, int customers) {
        this.tenant = tenant;
        this.moves = new int[customers];
        for (int i = 0; i < customers; i++) {
            pending.add(new ArrayDeque<>());
        }
    }

    String tenant() {
        return tenant;
    }

    int customers() {
        return moves.length;
    }

    static String leadId(int customer) {
        return "load-probe-lead-" + customer;
    }

    /** The lead that founds probe customer {@code customer}: alone in its campaign, with its own e-mail. */
    static String leadJson(int customer) {
        return "{\"leadId\":\"" + leadId(customer) + "\",\"source\":\"load-probe\",\"campaign\":\"" + CAMPAIGN_PREFIX
                + customer + "\",\"company\":{\"name\":\"Load Probe " + customer + " GmbH\"},\"contact\":{\"email\":"
                + "\"probe" + customer + "@load-probe.example\"}}";
    }

    /**
     * The next change: the next probe customer in turn moves to the next stage of {@link #CYCLE}. Returns the
     * activity to send.
     */
    synchronized String nextChange(long scheduledNanos, boolean counted) {
        int customer = Math.floorMod(next.getAndIncrement(), moves.length);
        String stage = CYCLE.get(moves[customer]++ % CYCLE.size());
        pending.get(customer).addLast(new Pending(stage, scheduledNanos, counted));
        long number = sent.incrementAndGet();
        return "{\"activityId\":\"load-probe-change-" + number + "\",\"leadId\":\"" + leadId(customer)
                + "\",\"kind\":\"STAGE_CHANGE\",\"stage\":\"" + stage + "\"}";
    }

    SseStream.Listener listener() {
        return (event, data, receivedNanos) -> {
            if (!"funnel".equals(event)) {
                return;
            }
            JsonNode figure = JSON.readTree(data);
            String campaign = figure.path("value").asString("");
            if (!campaign.startsWith(CAMPAIGN_PREFIX)
                    || !"live".equals(figure.path("period").asString(""))) {
                return;
            }
            int customer;
            try {
                customer = Integer.parseInt(campaign.substring(CAMPAIGN_PREFIX.length()));
            } catch (NumberFormatException e) {
                return;
            }
            if (customer < 0 || customer >= moves.length) {
                return;
            }
            for (JsonNode stage : figure.path("stages")) {
                if (stage.path("count").asLong(0) == 1) {
                    seen(customer, stage.path("stage").asString(""), receivedNanos);
                }
            }
        };
    }

    Histogram latency() {
        return latency;
    }

    long sentCount() {
        return sent.get();
    }

    synchronized int pendingCount() {
        return pending.stream().mapToInt(Deque::size).sum();
    }

    private synchronized void seen(int customer, String stage, long receivedNanos) {
        Deque<Pending> queue = pending.get(customer);
        // The first pending change to that stage: the figure shows a prefix of the changes, in order.
        int last = -1;
        int index = 0;
        for (Pending change : queue) {
            if (change.stage().equals(stage)) {
                last = index;
                break;
            }
            index++;
        }
        for (int i = 0; i <= last; i++) {
            Pending change = queue.removeFirst();
            if (change.counted()) {
                LoadReport.record(latency, (receivedNanos - change.scheduledNanos()) / 1_000);
            }
        }
    }
}
