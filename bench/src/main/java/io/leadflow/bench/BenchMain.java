package io.leadflow.bench;

/**
 * How every benchmark's {@code main} ends: the in-process broker, Kafka Streams and embedded PostgreSQL leave
 * non-daemon threads behind, so the JVM is ended explicitly, with status 1 and the stack trace when the run
 * failed.
 */
public final class BenchMain {

    /** One benchmark run. */
    @FunctionalInterface
    public interface Run {
        void run() throws Exception;
    }

    private BenchMain() {}

    public static void exitAfter(Run run) {
        try {
            run.run();
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }
}
