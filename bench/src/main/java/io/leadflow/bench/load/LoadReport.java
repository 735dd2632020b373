package io.leadflow.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Prints figures the way every benchmark here does: {@code name | figure | value}, one a line. */
final class LoadReport {

    private static final long MAX_MICROS = 3_600_000_000L;

    private final String name;

    LoadReport(String name) {
        this.name = name;
    }

    void line(String figure, Object value) {
        System.out.println(name + " | " + figure + " | " + value);
        System.out.flush();
    }

    /** p50, p90, p99, max (ms) and count of a histogram of microseconds, and its rate over {@code seconds}. */
    void latency(String figure, Histogram micros, double seconds) {
        line(figure, summary(micros, seconds));
    }

    static String summary(Histogram micros, double seconds) {
        if (micros.getTotalCount() == 0) {
            return "count 0";
        }
        return String.format(
                Locale.ROOT,
                "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms, count %d (%.1f/s)",
                micros.getValueAtPercentile(50) / 1000.0,
                micros.getValueAtPercentile(90) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0,
                micros.getMaxValue() / 1000.0,
                micros.getTotalCount(),
                micros.getTotalCount() / seconds);
    }

    /** A histogram of microseconds up to one hour, three significant digits, safe to record into from any thread. */
    static Histogram micros() {
        return new ConcurrentHistogram(1, MAX_MICROS, 3);
    }

    /** Records {@code micros}, clamped to the histogram's range. */
    static void record(Histogram histogram, long micros) {
        histogram.recordValue(Math.max(1, Math.min(MAX_MICROS, micros)));
    }

    /** The machine's load average (1, 5, 15 minutes), as {@code uptime} shows it. */
    static String loadAverage() {
        try {
            List<String> fields =
                    List.of(Files.readString(Path.of("/proc/loadavg")).split(" "));
            return String.join(" ", fields.subList(0, 3));
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }
}
