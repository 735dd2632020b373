package io.leadflow.bench.load;

import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * When the next request starts, and from when its latency counts.
 *
 * <p>{@link #openLoop}: request {@code i} is due at {@code start + i / rate}, whatever the earlier ones are
 * doing, and its latency counts from that due time — so a stall of the system under test shows in the
 * latency of every request that should have started during it (no coordinated omission). {@link
 * #closedLoop}: as fast as possible with a fixed number of requests in flight; latency counts from the
 * actual start, and the figure to read is the throughput.
 */
public abstract class Pacer {

    /** Waits until the next request may start and returns its due time ({@link System#nanoTime()}). */
    public abstract long next() throws InterruptedException;

    /** A request has finished (its answer or failure arrived). */
    void done() {}

    abstract String describe();

    public static Pacer openLoop(double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + perSecond);
        }
        return new OpenLoop(perSecond);
    }

    static Pacer closedLoop(int inFlight) {
        if (inFlight < 1) {
            throw new IllegalArgumentException("in-flight requests must be at least 1: " + inFlight);
        }
        return new ClosedLoop(inFlight);
    }

    private static final class OpenLoop extends Pacer {

        private final double perSecond;
        private final double intervalNanos;
        private long start = -1;
        private long issued;

        OpenLoop(double perSecond) {
            this.perSecond = perSecond;
            this.intervalNanos = 1e9 / perSecond;
        }

        @Override
        public long next() throws InterruptedException {
            if (start < 0) {
                start = System.nanoTime();
            }
            long due = start + Math.round(issued++ * intervalNanos);
            // Parking, not spinning: on two shared cores a spinning pacer would take a core from the services.
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            return due;
        }

        @Override
        String describe() {
            return "open loop at " + perSecond + " requests/s (latency from the scheduled start)";
        }
    }

    private static final class ClosedLoop extends Pacer {

        private final int inFlight;
        private final Semaphore permits;

        ClosedLoop(int inFlight) {
            this.inFlight = inFlight;
            this.permits = new Semaphore(inFlight);
        }

        @Override
        public long next() throws InterruptedException {
            permits.acquire();
            return System.nanoTime();
        }

        @Override
        void done() {
            permits.release();
        }

        @Override
        String describe() {
            return "closed loop, as fast as possible with " + inFlight + " requests in flight";
        }
    }
}
