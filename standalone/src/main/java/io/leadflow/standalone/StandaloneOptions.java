package io.leadflow.standalone;

import java.nio.file.Path;
import org.springframework.core.env.SimpleCommandLinePropertySource;

/**
 * Command-line options of the standalone command, all optional:
 *
 * <pre>
 *   --data-dir=./data      where Kafka, PostgreSQL and the state stores keep their data
 *   --wipe                 delete the data directory first (start from nothing)
 *   --api-port=8080 --ingest-port=8081 --processor-port=8082
 *   --kafka-port=9092 --kafka-controller-port=9093 --postgres-port=15432
 *   --demo                 keep producing demonstration leads, claims, follow-ups and stage changes
 *   --demo-rate=30         demonstration leads a minute (1-6000)
 *   --demo-seed=42         seed of the demonstration data
 * </pre>
 */
record StandaloneOptions(
        Path dataDir,
        boolean wipe,
        int apiPort,
        int ingestPort,
        int processorPort,
        int kafkaPort,
        int kafkaControllerPort,
        int postgresPort,
        boolean demo,
        int demoRate,
        long demoSeed) {

    static StandaloneOptions parse(String... args) {
        SimpleCommandLinePropertySource options = new SimpleCommandLinePropertySource(args);
        for (String name : options.getPropertyNames()) {
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException(
                        "unknown option --" + name + "; known: --" + String.join(", --", KNOWN));
            }
        }
        return new StandaloneOptions(
                Path.of(value(options, "data-dir", "./data")),
                options.containsProperty("wipe"),
                port(options, "api-port", 8080),
                port(options, "ingest-port", 8081),
                port(options, "processor-port", 8082),
                port(options, "kafka-port", 9092),
                port(options, "kafka-controller-port", 9093),
                port(options, "postgres-port", 15432),
                options.containsProperty("demo") || options.containsProperty("demo-rate"),
                number(options, "demo-rate", 30, 1, 6_000),
                number(options, "demo-seed", 42, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    private static final java.util.List<String> KNOWN = java.util.List.of(
            "data-dir",
            "wipe",
            "api-port",
            "ingest-port",
            "processor-port",
            "kafka-port",
            "kafka-controller-port",
            "postgres-port",
            "demo",
            "demo-rate",
            "demo-seed");

    private static String value(SimpleCommandLinePropertySource options, String name, String fallback) {
        String value = options.getProperty(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static int number(SimpleCommandLinePropertySource options, String name, int fallback, int min, int max) {
        return (int) number(options, name, (long) fallback, min, max);
    }

    private static long number(
            SimpleCommandLinePropertySource options, String name, long fallback, long min, long max) {
        String value = value(options, name, Long.toString(fallback));
        try {
            long number = Long.parseLong(value);
            if (number < min || number > max) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + name + " must be a whole number from " + min + " to " + max + ", was '" + value + "'");
        }
    }

    private static int port(SimpleCommandLinePropertySource options, String name, int fallback) {
        String value = value(options, name, Integer.toString(fallback));
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65_535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a port number (0-65535), was '" + value + "'");
        }
    }
}
