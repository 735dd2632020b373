package io.leadflow.schemas;

import org.apache.kafka.common.config.TopicConfig;

/** How Kafka gets rid of a topic's old records. */
public enum CleanupPolicy {
    /** Records are deleted after the topic's retention. */
    DELETE(TopicConfig.CLEANUP_POLICY_DELETE),
    /** The latest record per key is kept forever; a tombstone removes the key. */
    COMPACT(TopicConfig.CLEANUP_POLICY_COMPACT);

    private final String configValue;

    CleanupPolicy(String configValue) {
        this.configValue = configValue;
    }

    /** The value of the {@code cleanup.policy} topic config. */
    public String configValue() {
        return configValue;
    }
}
