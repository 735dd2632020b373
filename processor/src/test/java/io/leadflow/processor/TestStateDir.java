package io.leadflow.processor;

import java.nio.file.Path;

/**
 * The state directory for {@code TopologyTestDriver}s of this test JVM. Kafka Streams' default
 * ({@code /tmp/kafka-streams/<application id>}) is shared by every build on the machine, so two builds running
 * the same test at once fight over the same RocksDB files ("Error opening store").
 */
public final class TestStateDir {

    private TestStateDir() {}

    public static String ofThisJvm() {
        return Path.of(
                        System.getProperty("java.io.tmpdir"),
                        "kafka-streams-" + ProcessHandle.current().pid())
                .toString();
    }
}
