package io.leadflow.processor;

import io.leadflow.avro.FunnelDimension;
import io.leadflow.processor.funnel.FunnelSettings;
import io.leadflow.processor.state.StoreBacking;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the processor.
 *
 * @param applicationId the Kafka Streams application id: consumer group and prefix of internal topics
 * @param stateDir where RocksDB state stores live (rebuilt from changelogs when lost)
 * @param streamThreads stream threads in this instance
 * @param commitInterval how often a transaction commits; bounds the latency of every output
 * @param standbyReplicas warm copies of each task's state on other instances, for fast fail-over
 * @param replicationFactor replication factor of the topics this instance creates
 * @param sessionTimeout how long the group waits for an instance that stopped heartbeating (killed, its host lost)
 *     before its tasks move to the others or to the instance restarted: no lead of its partitions is resolved that
 *     long after a crash (Kafka's default is 45 s; a planned stop leaves the group at once)
 * @param rocksdbMemory off-heap memory all RocksDB state stores of this instance share (block cache, index and
 *     filter blocks, memtables); see {@link BoundedRocksDb}
 * @param funnel tuning of the live funnel
 * @param identity where identity resolution keeps its state
 */
@ConfigurationProperties("leadflow.processor")
public record ProcessorProperties(
        @DefaultValue("leadflow-processor") String applicationId,
        @DefaultValue("./data/streams") String stateDir,
        @DefaultValue("1") int streamThreads,
        @DefaultValue("100ms") Duration commitInterval,
        @DefaultValue("0") int standbyReplicas,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue("10s") Duration sessionTimeout,
        @DefaultValue("256MB") DataSize rocksdbMemory,
        @DefaultValue Funnel funnel,
        @DefaultValue Identity identity) {

    /**
     * Where identity resolution keeps its four stores (identity index, blocking entries, customers, leads seen); the
     * pool's stay in RocksDB either way, the funnel's as {@code funnel.facts-store} says. Both are changelogged,
     * so nothing is lost on a crash.
     *
     * @param stores {@code rocksdb}: on local disk in off-heap memory bounded by {@code rocksdb-memory}; a
     *     restarted instance reopens its local state and reads only the changelog records it lacks. {@code
     *     in-memory}: on the Java heap (1.1–1.4 KB per customer, so size the heap for it), rebuilt from the
     *     changelogs in full at every start; a quarter less stream-thread CPU per lead (docs/bench-identity.md)
     */
    public record Identity(@DefaultValue("rocksdb") StoreBacking stores) {}

    /**
     * Tuning of the live funnel ({@link FunnelSettings}).
     *
     * @param emitInterval each live figure is written to the funnel topic at most once per interval
     * @param cohortDimensions the dimensions with cohort figures (by day, week and month of first lead); live
     *     figures exist for all five. Each cohort dimension adds three figures to every change it touches;
     *     {@code OWNER} and {@code TEAM} are left out by default (why: {@link
     *     FunnelSettings#DEFAULT_COHORT_DIMENSIONS}), adding them nearly doubles the funnel's CPU per event
     *     (docs/bench-funnel.md)
     * @param snapshotInterval a changed figure is written to its store at least once per interval; until then
     *     its changes are in the funnel's journal only, which a restarted task replays (up to this long)
     * @param cohortEmitInterval each cohort figure is written to the funnel topic at most once per interval
     * @param figuresKept figures each funnel task keeps decoded in memory once written and emitted (more are
     *     read back from the store when touched)
     * @param factsStore where the funnel keeps the facts it last counted of each customer, its one store that
     *     grows with the customers: {@code rocksdb}, or {@code in-memory} (on the heap, read back from its
     *     changelog in full at every start; less CPU per event, docs/bench-funnel.md); its other stores stay in
     *     RocksDB
     */
    public record Funnel(
            @DefaultValue("200ms") Duration emitInterval,

            @DefaultValue({"TENANT", "SOURCE", "CAMPAIGN"}) Set<FunnelDimension> cohortDimensions,

            @DefaultValue("30s") Duration snapshotInterval,
            @DefaultValue("500ms") Duration cohortEmitInterval,
            @DefaultValue("50000") int figuresKept,
            @DefaultValue("rocksdb") StoreBacking factsStore) {

        public FunnelSettings settings() {
            return FunnelSettings.DEFAULTS
                    .withEmitInterval(emitInterval)
                    .withCohortEmitInterval(cohortEmitInterval)
                    .withCohortDimensions(cohortDimensions)
                    .withSnapshotInterval(snapshotInterval)
                    .withFiguresKept(figuresKept)
                    .withFactsStore(factsStore);
        }
    }
}
