package io.leadflow.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What Linux says about a process, or a process and its descendants, from {@code /proc}: CPU time used,
 * resident memory and open file descriptors. PostgreSQL is a tree of processes (postmaster, one backend per
 * connection, background workers), so it is measured as the tree under its postmaster.
 */
final class ProcessStats {

    /** Clock ticks per second of {@code /proc/<pid>/stat} times ({@code getconf CLK_TCK}; 100 on Linux/x86). */
    static final long TICKS_PER_SECOND = 100;

    private static final Path PROC = Path.of("/proc");

    /**
     * @param cpuNanos user + system CPU time used since the process started
     * @param rssBytes resident set size now (a tree: proportional set size, see {@link #ofTree})
     * @param openFiles open file descriptors now
     * @param processes how many processes were summed
     */
    record Sample(long cpuNanos, long rssBytes, int openFiles, int processes) {

        Sample plus(Sample other) {
            return new Sample(
                    cpuNanos + other.cpuNanos,
                    rssBytes + other.rssBytes,
                    openFiles + other.openFiles,
                    processes + other.processes);
        }
    }

    private ProcessStats() {}

    /** The process alone; empty when it is gone. */
    static Optional<Sample> of(long pid) {
        Path dir = PROC.resolve(Long.toString(pid));
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.US_ASCII);
            // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            long rssPages = Long.parseLong(fields[21]);
            return Optional.of(
                    new Sample(ticks * (1_000_000_000L / TICKS_PER_SECOND), rssPages * 4096, openFiles(dir), 1));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The process and every descendant, summed; empty when the process is gone. Memory is the proportional set
     * size (PSS) here, not the resident set: PostgreSQL's processes share its buffers, and a sum of resident sets
     * would count a shared page once per process that touched it.
     */
    static Optional<Sample> ofTree(long pid) {
        Optional<Sample> root = proportional(pid);
        if (root.isEmpty()) {
            return root;
        }
        Sample sum = root.get();
        for (long child : descendants(pid)) {
            Optional<Sample> sample = proportional(child);
            if (sample.isPresent()) {
                sum = sum.plus(sample.get());
            }
        }
        return Optional.of(sum);
    }

    private static Optional<Sample> proportional(long pid) {
        return of(pid).map(sample -> new Sample(
                sample.cpuNanos(), pss(pid).orElse(sample.rssBytes()), sample.openFiles(), sample.processes()));
    }

    private static Optional<Long> pss(long pid) {
        try {
            for (String line :
                    Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** PostgreSQL's postmaster: the first line of {@code postmaster.pid} in its data directory. */
    static long postmasterPid(Path dataDir) {
        try {
            return Long.parseLong(
                    Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
        } catch (IOException e) {
            throw new IllegalStateException("no postmaster.pid in " + dataDir, e);
        }
    }

    private static List<Long> descendants(long pid) {
        List<long[]> parents = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path dir : processes) {
                parentOf(dir)
                        .ifPresent(parent -> parents.add(
                                new long[] {Long.parseLong(dir.getFileName().toString()), parent}));
            }
        } catch (IOException e) {
            return List.of();
        }
        List<Long> found = new ArrayList<>();
        List<Long> frontier = new ArrayList<>(List.of(pid));
        while (!frontier.isEmpty()) {
            List<Long> next = new ArrayList<>();
            for (long[] process : parents) {
                if (frontier.contains(process[1])) {
                    next.add(process[0]);
                }
            }
            found.addAll(next);
            frontier = next;
        }
        return found;
    }

    private static Optional<Long> parentOf(Path dir) {
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.US_ASCII);
            return Optional.of(
                    Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static int openFiles(Path dir) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(dir.resolve("fd"))) {
            int count = 0;
            for (Path ignored : fds) {
                count++;
            }
            return count;
        } catch (IOException e) {
            return -1;
        }
    }
}
