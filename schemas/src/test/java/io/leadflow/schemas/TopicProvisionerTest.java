package io.leadflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

class TopicProvisionerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Node BROKER = new Node(0, "localhost", 9092);

    @Test
    void createsEveryMissingTopicWithItsPartitionsAndConfigs() throws Exception {
        try (MockAdminClient admin = new MockAdminClient(List.of(BROKER), BROKER)) {
            Set<String> created = TopicProvisioner.ensureTopics(admin, Topics.all(), (short) 1, TIMEOUT);

            assertThat(created).hasSize(Topics.all().size());
            assertThat(admin.listTopics().names().get()).containsAll(created);
            assertThat(admin.describeTopics(List.of(Topics.LEADS.name()))
                            .allTopicNames()
                            .get()
                            .get(Topics.LEADS.name())
                            .partitions())
                    .hasSize(Topics.INPUT_PARTITIONS);
        }
    }

    @Test
    void leavesExistingTopicsAsTheyAre() throws Exception {
        try (MockAdminClient admin = new MockAdminClient(List.of(BROKER), BROKER)) {
            admin.addTopic(
                    false,
                    Topics.LEADS.name(),
                    List.of(new TopicPartitionInfo(0, BROKER, List.of(BROKER), List.of(BROKER))),
                    Map.of());

            Set<String> created = TopicProvisioner.ensureTopics(admin, Topics.all(), (short) 1, TIMEOUT);

            assertThat(created)
                    .doesNotContain(Topics.LEADS.name())
                    .hasSize(Topics.all().size() - 1);
            assertThat(admin.describeTopics(List.of(Topics.LEADS.name()))
                            .allTopicNames()
                            .get()
                            .get(Topics.LEADS.name())
                            .partitions())
                    .hasSize(1);
        }
    }

    @Test
    void createsNothingTheSecondTime() {
        try (MockAdminClient admin = new MockAdminClient(List.of(BROKER), BROKER)) {
            TopicProvisioner.ensureTopics(admin, Topics.all(), (short) 1, TIMEOUT);

            assertThat(TopicProvisioner.ensureTopics(admin, Topics.all(), (short) 1, TIMEOUT))
                    .isEmpty();
        }
    }

    @Test
    void toleratesATopicCreatedConcurrentlyByAnotherInstance() {
        try (MockAdminClient admin = new RacingAdmin(Topics.CUSTOMERS.name())) {
            Set<String> created = TopicProvisioner.ensureTopics(admin, Topics.all(), (short) 1, TIMEOUT);

            assertThat(created)
                    .doesNotContain(Topics.CUSTOMERS.name())
                    .hasSize(Topics.all().size() - 1);
        }
    }

    /** Creates one topic itself just before the provisioner's request, as another instance would. */
    private static final class RacingAdmin extends MockAdminClient {
        private final String contested;

        RacingAdmin(String contested) {
            super(List.of(BROKER), BROKER);
            this.contested = contested;
        }

        @Override
        public synchronized CreateTopicsResult createTopics(
                Collection<NewTopic> newTopics, CreateTopicsOptions options) {
            addTopic(
                    false,
                    contested,
                    List.of(new TopicPartitionInfo(0, BROKER, List.of(BROKER), List.of(BROKER))),
                    Map.of());
            return super.createTopics(newTopics, options);
        }
    }
}
