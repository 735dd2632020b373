package io.leadflow.bench.crash;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;

/**
 * When a consumer group works again after one of its members was killed. A killed member does not leave its
 * group: its partitions are read by nobody until the group's coordinator has waited out its session and handed
 * them to the members left (or to the member restarted).
 */
final class GroupRecovery implements AutoCloseable {

    /** The processor's group: its default application id, which the pipeline keeps. */
    static final String PROCESSOR = "leadflow-processor";

    /** The api's projection group, shared by its instances: the default, which the pipeline keeps. */
    static final String API_PROJECTION = "leadflow-api-projection";

    /** Longer than a restart and a 10 s session take, shorter than Kafka's default 45 s session. */
    static final Duration BOUND = Duration.ofSeconds(35);

    private final Admin admin;
    private final String groupId;

    GroupRecovery(String bootstrapServers, String groupId) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        this.groupId = groupId;
    }

    /** The ids of the group's members now. */
    Set<String> members() {
        return describe().members().stream().map(MemberDescription::consumerId).collect(Collectors.toSet());
    }

    /**
     * Waits until the group is stable with {@code count} members, none of them one of {@code gone}, each with
     * partitions assigned; returns when that was first seen.
     *
     * @throws IllegalStateException naming the group's last state if that does not happen {@code within}
     */
    Instant awaitReplaced(Set<String> gone, int count, Duration within) throws InterruptedException {
        Instant until = Instant.now().plus(within);
        ConsumerGroupDescription group = describe();
        while (!replaced(group, gone, count)) {
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException(
                        "group " + groupId + " did not replace " + gone + " within " + within + ": " + group);
            }
            Thread.sleep(100);
            group = describe();
        }
        return Instant.now();
    }

    private static boolean replaced(ConsumerGroupDescription group, Set<String> gone, int count) {
        return group.groupState() == GroupState.STABLE
                && group.members().size() == count
                && group.members().stream()
                        .allMatch(member -> !gone.contains(member.consumerId())
                                && !member.assignment().topicPartitions().isEmpty());
    }

    private ConsumerGroupDescription describe() {
        try {
            return admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe group " + groupId, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted describing group " + groupId, e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
