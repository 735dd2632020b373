package io.leadflow.testsupport;

import io.leadflow.schemas.TopicProvisioner;
import io.leadflow.schemas.TopicSpec;
import io.leadflow.schemas.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One in-process KRaft broker per test JVM, shared by every test class that asks for it.
 *
 * <p>The broker starts on first use and stops in a JVM shutdown hook, so test classes never start
 * or stop it themselves. It is ready for exactly-once processing (transaction log and offsets topic
 * with replication factor 1, so transactional producers and {@code exactly_once_v2} do not hang)
 * and never creates topics implicitly: a test creates the topics it needs from the catalogue in
 * {@code schemas} with {@link #createTopics(Collection)}, which is idempotent.
 *
 * <p>Topics are shared across test classes in the same JVM; tests keep apart by using their own
 * tenants (keys), not by expecting empty topics.
 */
public final class SharedKafka {

    private static final Logger log = LoggerFactory.getLogger(SharedKafka.class);

    /** Replication factor of every topic on the single broker. */
    public static final short REPLICATION_FACTOR = 1;

    /**
     * The group session a restart test's consumers may use on this broker: the partitions of an instance that
     * stopped without leaving its group (as Kafka Streams does) or was killed move on after this.
     */
    public static final Duration TEST_SESSION_TIMEOUT = Duration.ofSeconds(2);

    /** Heartbeats four times within {@link #TEST_SESSION_TIMEOUT}. */
    public static final Duration TEST_HEARTBEAT_INTERVAL = Duration.ofMillis(500);

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private static Running running;

    private SharedKafka() {}

    /** The broker's {@code bootstrap.servers}, starting the broker if needed. */
    public static String bootstrapServers() {
        return running().broker.getBrokersAsString();
    }

    /** An admin client on the shared broker; owned by this class, callers must not close it. */
    public static Admin admin() {
        return running().admin;
    }

    /** A client for producing and reading typed records on the shared broker; do not close it. */
    public static KafkaTestClient client() {
        return running().client;
    }

    /**
     * Creates the given topics with their catalogue partitions; topics that already exist are left
     * as they are.
     */
    public static void createTopics(Collection<? extends TopicSpec<?, ?>> topics) {
        TopicProvisioner.ensureTopics(admin(), topics, REPLICATION_FACTOR, ADMIN_TIMEOUT);
    }

    /** Creates every topic of the catalogue ({@link Topics#all()}); idempotent. */
    public static void createAllTopics() {
        createTopics(Topics.all());
    }

    private static synchronized Running running() {
        if (running == null) {
            running = Running.start();
            Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "shared-kafka-shutdown"));
        }
        return running;
    }

    private static final class Running {

        private final EmbeddedKafkaKraftBroker broker;
        private final Admin admin;
        private final KafkaTestClient client;

        private Running(EmbeddedKafkaKraftBroker broker, Admin admin, KafkaTestClient client) {
            this.broker = broker;
            this.admin = admin;
            this.client = client;
        }

        static Running start() {
            long startedAt = System.nanoTime();
            EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
            broker.brokerProperties(brokerProperties());
            broker.afterPropertiesSet();
            String bootstrapServers = broker.getBrokersAsString();
            Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
            log.info(
                    "Shared Kafka broker on {} started in {} ms",
                    bootstrapServers,
                    Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
            return new Running(broker, admin, new KafkaTestClient(bootstrapServers));
        }

        static Map<String, String> brokerProperties() {
            return Map.of(
                    // Without these two, the transaction coordinator waits for 3 replicas forever.
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1",
                    "offsets.topic.replication.factor", "1",
                    // 50 partitions each (the defaults) only slow down the first group and transaction.
                    "transaction.state.log.num.partitions", "4",
                    "offsets.topic.num.partitions", "4",
                    "share.coordinator.state.topic.replication.factor", "1",
                    "share.coordinator.state.topic.min.isr", "1",
                    "group.initial.rebalance.delay.ms", "0",
                    // Lets restart tests use a 2 s session (the broker's default least is 6 s), so a stopped or
                    // killed instance's partitions move on after 2 s, not 6.
                    "group.min.session.timeout.ms", String.valueOf(TEST_SESSION_TIMEOUT.toMillis()),
                    "auto.create.topics.enable", "false");
        }

        void stop() {
            client.close();
            admin.close(Duration.ofSeconds(5));
            broker.destroy();
        }
    }
}
