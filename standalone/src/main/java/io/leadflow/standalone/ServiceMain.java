package io.leadflow.standalone;

import io.leadflow.standalone.embedded.EmbeddedKafkaServer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one part of LeadFlow in this JVM, so a test or a load driver can run the pipeline as separate
 * processes on this classpath and kill any of them with {@code kill -9}:
 *
 * <pre>
 * ServiceMain kafka DATA_DIR BROKER_PORT CONTROLLER_PORT
 * ServiceMain processor|api|ingest ARGUMENTS...   (from LeadflowServices.arguments)
 * </pre>
 *
 * The broker prints {@code READY host:port} when it accepts connections; a service is ready when its
 * {@code /actuator/health/readiness} answers {@code UP}. {@code SIGTERM} stops either cleanly. With {@code
 * -Dleadflow.exit-with-parent=true} the process also stops cleanly when the process that started it ends, however
 * that ended: a load driver killed with {@code kill -9} leaves no broker or service behind.
 */
public final class ServiceMain {

    private ServiceMain() {}

    /** The system property that ties this process's life to its parent's. */
    public static final String EXIT_WITH_PARENT = "leadflow.exit-with-parent";

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ServiceMain kafka|processor|api|ingest ARGUMENTS...");
        }
        if (Boolean.getBoolean(EXIT_WITH_PARENT)) {
            exitWithParent();
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (args[0].equals("kafka")) {
            runBroker(rest);
        } else {
            LeadflowServices.Service.valueOf(args[0].toUpperCase(Locale.ROOT))
                    .application()
                    .run(rest);
        }
    }

    private static void exitWithParent() {
        ProcessHandle.current()
                .parent()
                .ifPresent(parent -> parent.onExit().thenRun(() -> {
                    System.err.println("the parent process " + parent.pid() + " ended: stopping");
                    System.exit(0);
                }));
    }

    private static void runBroker(String[] args) throws InterruptedException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: ServiceMain kafka DATA_DIR BROKER_PORT CONTROLLER_PORT");
        }
        EmbeddedKafkaServer kafka =
                EmbeddedKafkaServer.start(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }));
        System.out.println("READY " + kafka.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
