package io.leadflow.bench.load;

import io.leadflow.avro.FunnelDimension;
import io.leadflow.avro.FunnelFigure;
import io.leadflow.avro.StageFigure;
import io.leadflow.schemas.Topics;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
 * counts from the change's scheduled send time. Each change also sets the customer's amount to its move number
 * (1, 2, 3, …), so a figure names exactly the change it shows, even when a lagging reader skipped versions of
 * the row and the stage alone would be ambiguous (the cycle repeats every four moves); a figure that shows a
 * later change also completes the earlier ones of that customer (activities of a tenant are applied in order).
 *
 * <p>The same changes are also watched on the funnel topic itself ({@code read_committed}) and in the api's
 * projection (its {@code funnel_figure} rows, polled every 100 ms), which splits the path: up to the committed
 * figure is ingest and the processor, then the api's projection into PostgreSQL, then its live stream.
 */
final class FunnelProbes {

    static final List<String> CYCLE = List.of("CONTACTED", "QUALIFIED", "PROPOSAL", "NEGOTIATION");
    static final String STREAM = "stream";
    static final String TOPIC = "topic";
    static final String PROJECTION = "projection";
    private static final String CAMPAIGN_PREFIX = "load-probe-";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * A change sent to a probe customer, not yet seen; {@code move}: the customer's move number, which the change
     * sets as its amount; {@code counted}: sent in the measured window.
     */
    private record Pending(long move, long scheduledNanos, boolean counted) {}

    /** One place the changes are watched: a queue of unseen changes per customer and their latencies. */
    private static final class Observer {
        final List<Deque<Pending>> pending = new ArrayList<>();
        final Histogram latency = LoadReport.micros();
        final Recorder interval = new Recorder(1, 3_600_000_000L, 3);

        Observer(int customers) {
            for (int i = 0; i < customers; i++) {
                pending.add(new ArrayDeque<>());
            }
        }
    }

    private final String tenant;
    private final int[] moves;
    private final Map<String, Observer> observers = new HashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean watching = true;

    FunnelProbes(String tenant, int customers) {
        this.tenant = tenant;
        this.moves = new int[customers];
        observers.put(STREAM, new Observer(customers));
        observers.put(TOPIC, new Observer(customers));
        observers.put(PROJECTION, new Observer(customers));
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

    /** The next change: the next probe customer in turn moves to the next stage of {@link #CYCLE}. */
    synchronized String nextChange(long scheduledNanos, boolean counted) {
        int customer = Math.floorMod(next.getAndIncrement(), moves.length);
        String stage = CYCLE.get(moves[customer] % CYCLE.size());
        long move = ++moves[customer];
        for (Observer observer : observers.values()) {
            observer.pending.get(customer).addLast(new Pending(move, scheduledNanos, counted));
        }
        long number = sent.incrementAndGet();
        return "{\"activityId\":\"load-probe-change-" + number + "\",\"leadId\":\"" + leadId(customer)
                + "\",\"kind\":\"STAGE_CHANGE\",\"stage\":\"" + stage + "\",\"amount\":" + move + "}";
    }

    /** The listener for {@code /api/v1/streams/funnel?dimension=CAMPAIGN} of {@link #tenant()}. */
    SseStream.Listener listener() {
        return (event, data, receivedNanos) -> {
            if (!"funnel".equals(event)) {
                return;
            }
            JsonNode figure = JSON.readTree(data);
            if (!"live".equals(figure.path("period").asString(""))) {
                return;
            }
            int customer = customerOf(figure.path("value").asString(""));
            if (customer < 0) {
                return;
            }
            seen(STREAM, customer, figure.path("stages"), receivedNanos);
        };
    }

    /** Watches the funnel topic for the probes' figures on a thread of its own until {@link #stop()}. */
    void watchTopic(String bootstrapServers) throws InterruptedException {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        CountDownLatch positioned = new CountDownLatch(1);
        Thread thread = new Thread(
                () -> {
                    try (KafkaConsumer<String, byte[]> consumer =
                            new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
                        List<TopicPartition> partitions = consumer.partitionsFor(Topics.FUNNEL.name()).stream()
                                .map(info -> new TopicPartition(info.topic(), info.partition()))
                                .toList();
                        consumer.assign(partitions);
                        consumer.seekToEnd(partitions);
                        partitions.forEach(consumer::position);
                        positioned.countDown();
                        while (watching) {
                            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                                onTopicRecord(record, System.nanoTime());
                            }
                        }
                    }
                },
                "funnel-topic-probes");
        thread.setDaemon(true);
        thread.start();
        if (!positioned.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the funnel topic could not be read within 60 s");
        }
    }

    /** Polls the api's projected figures of the probes every 100 ms on a thread of its own until {@link #stop()}. */
    void watchProjection(String jdbcUrl, String user, String password) {
        Thread thread = new Thread(
                () -> {
                    try (Connection db = DriverManager.getConnection(jdbcUrl, user, password);
                            PreparedStatement query = db.prepareStatement("SELECT dimension_value, stages::text"
                                    + " FROM funnel_figure WHERE tenant = ? AND dimension = 'CAMPAIGN'"
                                    + " AND period = 'live' AND dimension_value LIKE 'load-probe-%'")) {
                        query.setString(1, tenant);
                        while (watching) {
                            try (ResultSet rows = query.executeQuery()) {
                                long now = System.nanoTime();
                                while (rows.next()) {
                                    int customer = customerOf(rows.getString(1));
                                    if (customer >= 0) {
                                        seen(PROJECTION, customer, JSON.readTree(rows.getString(2)), now);
                                    }
                                }
                            }
                            Thread.sleep(100);
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException("cannot read the projected funnel figures", e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "funnel-projection-probes");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        watching = false;
    }

    /** Latencies to the SSE stream ({@link #STREAM}) or to the committed figure on the topic ({@link #TOPIC}). */
    Histogram latency(String observer) {
        return observers.get(observer).latency;
    }

    /** Latencies to the SSE stream since the last call. */
    Histogram intervalLatency(String observer) {
        return observers.get(observer).interval.getIntervalHistogram();
    }

    long sentCount() {
        return sent.get();
    }

    /** Changes not yet seen on the stream. */
    synchronized int pendingCount() {
        return observers.get(STREAM).pending.stream().mapToInt(Deque::size).sum();
    }

    private void onTopicRecord(ConsumerRecord<String, byte[]> record, long receivedNanos) {
        // Keys are tenant/DIMENSION/period/value (Keys.funnel).
        String prefix = tenant + "/" + FunnelDimension.CAMPAIGN + "/live/";
        if (record.value() == null || record.key() == null || !record.key().startsWith(prefix)) {
            return;
        }
        int customer = customerOf(record.key().substring(prefix.length()));
        if (customer < 0) {
            return;
        }
        FunnelFigure figure =
                Topics.FUNNEL.valueSerde().deserializer().deserialize(record.topic(), record.headers(), record.value());
        for (StageFigure stage : figure.getStages()) {
            if (stage.getCount() == 1 && stage.getAmount() != null) {
                seen(TOPIC, customer, stage.getAmount().longValue(), receivedNanos);
            }
        }
    }

    private int customerOf(String campaign) {
        if (!campaign.startsWith(CAMPAIGN_PREFIX)) {
            return -1;
        }
        try {
            int customer = Integer.parseInt(campaign.substring(CAMPAIGN_PREFIX.length()));
            return customer >= 0 && customer < moves.length ? customer : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A figure's stages as the api renders them: the customer's stage is the one counting one customer. */
    private void seen(String where, int customer, JsonNode stages, long receivedNanos) {
        for (JsonNode stage : stages) {
            if (stage.path("count").asLong(0) == 1) {
                seen(where, customer, Math.round(stage.path("amount").asDouble(0)), receivedNanos);
            }
        }
    }

    /** The figure shows the customer after move {@code move}: that change and every earlier one are visible. */
    private synchronized void seen(String where, int customer, long move, long receivedNanos) {
        Observer observer = observers.get(where);
        Deque<Pending> queue = observer.pending.get(customer);
        while (!queue.isEmpty() && queue.peekFirst().move() <= move) {
            Pending change = queue.removeFirst();
            if (change.counted()) {
                long micros = Math.max(1, Math.min(3_600_000_000L, (receivedNanos - change.scheduledNanos()) / 1_000));
                LoadReport.record(observer.latency, micros);
                observer.interval.recordValue(micros);
            }
        }
    }
}
