package io.leadflow.processor.funnel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * What writing out figures costs a stream thread, as Kafka Streams metrics of the thread (group {@value #GROUP},
 * tag {@code thread-id}; in {@code KafkaStreams.metrics()} and over JMX): {@value #CPU_TOTAL}, the thread's CPU
 * time in emissions, and {@value #FIGURES_TOTAL}. Emission is paid per interval, not per change (each changed
 * figure once per interval however often it changed), so this is the share of the thread the funnel takes whatever
 * the rate of changes, and the rest of the thread's time is what changes may use.
 */
public final class EmissionMetrics {

    public static final String GROUP = "leadflow-funnel-metrics";
    public static final String CPU_TOTAL = "emit-cpu-time-ns-total";
    public static final String FIGURES_TOTAL = "figures-emitted-total";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Sensor cpu;
    private final Sensor figures;
    private final boolean timed;

    /** Registers the metrics of the calling stream thread, or finds them if another task of it did. */
    EmissionMetrics(StreamsMetrics metrics) {
        String thread = Thread.currentThread().getName();
        Map<String, String> tags = Map.of("thread-id", thread);
        cpu = metrics.addSensor(GROUP + "." + thread + ".emit-cpu", Sensor.RecordingLevel.INFO);
        cpu.add(
                new MetricName(CPU_TOTAL, GROUP, "CPU time of the stream thread in funnel emissions, ns", tags),
                new CumulativeSum());
        figures = metrics.addSensor(GROUP + "." + thread + ".figures-emitted", Sensor.RecordingLevel.INFO);
        figures.add(
                new MetricName(FIGURES_TOTAL, GROUP, "Funnel figures (and tombstones) written", tags),
                new CumulativeSum());
        timed = THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
    }

    /** The thread's CPU time now, for {@link #emitted}; 0 where the JVM does not measure it. */
    long started() {
        return timed ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    /** Records an emission begun at {@code started} that wrote {@code count} figures. */
    void emitted(long started, int count) {
        if (timed) {
            cpu.record(THREADS.getCurrentThreadCpuTime() - started);
        }
        figures.record(count);
    }
}
