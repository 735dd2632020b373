package io.leadflow.bench.cluster;

import io.leadflow.standalone.ServiceMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java program started in a JVM of its own on this JVM's classpath, with its output in a log file. It
 * can be stopped politely ({@code SIGTERM}) or killed ({@code kill -9}), and started again with the same
 * arguments. It ends with this JVM, however this JVM ends, if it is a {@link ServiceMain} (which is told to
 * watch its parent); the caller should still stop it.
 */
public final class JvmProcess implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process;
    private int starts;

    private JvmProcess(String name, List<String> command, Path log) {
        this.name = name;
        this.command = command;
        this.log = log;
    }

    /**
     * @param jvmOptions e.g. {@code -Xmx512m}
     * @param logDir where {@code <name>.log} is written (appended to on every start)
     */
    public static JvmProcess of(
            String name, List<String> jvmOptions, String mainClass, List<String> arguments, Path logDir) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.leadflow.avro");
        command.add("-D" + ServiceMain.EXIT_WITH_PARENT + "=true");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(arguments);
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new JvmProcess(name, List.copyOf(command), logDir.resolve(name + ".log"));
    }

    public synchronized JvmProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running already");
        }
        try {
            starts++;
            Files.writeString(
                    log,
                    "=== start " + starts + " ===\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** {@code kill -9}: no shutdown hook, no flush, no goodbye. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(30));
        }
    }

    /** {@code SIGTERM} without waiting: the process stops on its own time; {@link #stop} then awaits it. */
    public synchronized void terminate() {
        if (process != null && process.isAlive()) {
            process.destroy();
        }
    }

    /** {@code SIGTERM}, then {@code kill -9} if it has not stopped within {@code grace}. */
    public synchronized void stop(Duration grace) {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!awaitExit(grace)) {
                kill();
            }
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return process.pid();
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /** The log so far, for a failure message: the last {@code lines} lines. */
    public String tail(int lines) {
        try {
            List<String> all = lines();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The log's lines so far (bytes that are not UTF-8 replaced). */
    public List<String> lines() {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails with the end of the log if the process has died. */
    public void requireAlive() {
        if (!isAlive()) {
            throw new IllegalStateException(name + " exited; end of " + log + ":\n" + tail(40));
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }

    private boolean awaitExit(Duration within) {
        try {
            return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
