package io.leadflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadflow.avro.Activity;
import io.leadflow.avro.CommandResult;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.DeadLetter;
import io.leadflow.avro.FunnelFigure;
import io.leadflow.avro.IdentityEvent;
import io.leadflow.avro.Lead;
import io.leadflow.avro.OwnerFigures;
import io.leadflow.avro.PoolCommand;
import io.leadflow.avro.PoolEvent;
import io.leadflow.avro.TenantRules;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TopicsTest {

    static Stream<Arguments> catalogue() {
        return Stream.of(
                Arguments.of(Topics.LEADS, "leadflow.leads.v1", Lead.class, CleanupPolicy.DELETE),
                Arguments.of(Topics.ACTIVITIES, "leadflow.activities.v1", Activity.class, CleanupPolicy.DELETE),
                Arguments.of(Topics.COMMANDS, "leadflow.commands.v1", PoolCommand.class, CleanupPolicy.DELETE),
                Arguments.of(Topics.TENANT_RULES, "leadflow.tenant-rules.v1", TenantRules.class, CleanupPolicy.COMPACT),
                Arguments.of(Topics.CUSTOMERS, "leadflow.customers.v1", CustomerSnapshot.class, CleanupPolicy.COMPACT),
                Arguments.of(Topics.POOL_EVENTS, "leadflow.pool-events.v1", PoolEvent.class, CleanupPolicy.DELETE),
                Arguments.of(
                        Topics.IDENTITY_EVENTS,
                        "leadflow.identity-events.v1",
                        IdentityEvent.class,
                        CleanupPolicy.DELETE),
                Arguments.of(Topics.FUNNEL, "leadflow.funnel.v1", FunnelFigure.class, CleanupPolicy.COMPACT),
                Arguments.of(
                        Topics.OWNER_FIGURES, "leadflow.owner-figures.v1", OwnerFigures.class, CleanupPolicy.COMPACT),
                Arguments.of(
                        Topics.COMMAND_RESULTS,
                        "leadflow.command-results.v1",
                        CommandResult.class,
                        CleanupPolicy.DELETE),
                Arguments.of(Topics.DEAD_LETTER, "leadflow.dead-letter.v1", DeadLetter.class, CleanupPolicy.DELETE));
    }

    @ParameterizedTest
    @MethodSource("catalogue")
    void describesEachTopicWithItsNameAvroValueSerdeAndCleanup(
            TopicSpec<?, ?> spec, String name, Class<?> valueType, CleanupPolicy cleanup) {
        assertThat(spec.name()).isEqualTo(name);
        assertThat(spec.keySerde().getClass()).isEqualTo(Serdes.String().getClass());
        assertThat(spec.valueSerde())
                .isInstanceOfSatisfying(
                        AvroSerde.class, serde -> assertThat(serde.type()).isEqualTo(valueType));
        assertThat(spec.cleanup()).isEqualTo(cleanup);
        assertThat(spec.partitions()).isEqualTo(6);
    }

    @Test
    void listsEveryTopicOnceInAll() {
        assertThat(Topics.all())
                .containsExactlyElementsOf(catalogue()
                        .map(arguments -> (TopicSpec<?, ?>) arguments.get()[0])
                        .toList())
                .extracting(TopicSpec::name)
                .doesNotHaveDuplicates();
    }

    @Test
    void inputTopicsShareOnePartitionCountForCoPartitioning() {
        assertThat(Topics.inputs())
                .containsExactly(Topics.LEADS, Topics.ACTIVITIES, Topics.COMMANDS, Topics.TENANT_RULES)
                .extracting(TopicSpec::partitions)
                .containsOnly(Topics.INPUT_PARTITIONS);
    }

    @Test
    void keepsCommandResultsForOneDay() {
        assertThat(Topics.COMMAND_RESULTS.retention()).isEqualTo(Duration.ofDays(1));
        assertThat(Topics.COMMAND_RESULTS.toNewTopic((short) 1).configs()).containsEntry("retention.ms", "86400000");
    }

    @ParameterizedTest
    @MethodSource("catalogue")
    void newTopicCarriesPartitionsReplicationCleanupAndRetention(TopicSpec<?, ?> spec) {
        NewTopic topic = spec.toNewTopic((short) 3);

        assertThat(topic.name()).isEqualTo(spec.name());
        assertThat(topic.numPartitions()).isEqualTo(spec.partitions());
        assertThat(topic.replicationFactor()).isEqualTo((short) 3);
        assertThat(topic.configs())
                .containsEntry("cleanup.policy", spec.cleanup().configValue());
        String retention = spec.cleanup() == CleanupPolicy.COMPACT
                ? "-1"
                : Long.toString(spec.retention().toMillis());
        assertThat(topic.configs()).containsEntry("retention.ms", retention);
    }

    @Test
    void compactedTopicsKeepRecordsForever() {
        assertThat(Topics.CUSTOMERS.retention()).isEqualTo(TopicSpec.FOREVER);
        assertThat(Topics.CUSTOMERS.toNewTopic((short) 1).configs())
                .isEqualTo(Map.of("cleanup.policy", "compact", "retention.ms", "-1"));
    }

    @Test
    void refusesInconsistentSpecs() {
        var strings = Serdes.String();
        assertThatThrownBy(() -> TopicSpec.deleting("t", strings, strings, 0, Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partitions");
        assertThatThrownBy(() -> TopicSpec.deleting("t", strings, strings, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retention");
        assertThatThrownBy(() -> TopicSpec.deleting("t", strings, strings, 1, TopicSpec.FOREVER))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TopicSpec<>("t", strings, strings, 1, CleanupPolicy.COMPACT, Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("compacted");
        assertThatThrownBy(() -> TopicSpec.compacted("no spaces", strings, strings, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no spaces");
        assertThatThrownBy(() -> Topics.LEADS.toNewTopic((short) 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
