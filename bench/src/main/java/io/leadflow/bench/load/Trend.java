package io.leadflow.bench.load;

import java.util.List;

/**
 * Whether a sampled series grows: the least-squares slope over the second half of a run (the first half holds
 * the warm-up of caches, JIT and pools, which grow by design), and its standard error. A series is
 * <em>growing</em> when the slope is both significant (more than two standard errors above zero, so not noise)
 * and large (more than {@code thresholdPerHour}, chosen per resource so that a smaller growth would not exhaust it
 * within a day).
 */
record Trend(double slopePerHour, double standardErrorPerHour, int points, double first, double last) {

    enum Verdict {
        FLAT,
        GROWING,
        SHRINKING,
        TOO_FEW_SAMPLES
    }

    /** Fits {@code (seconds, value)} pairs whose time is at least half of the last one's. */
    static Trend ofSecondHalf(List<double[]> samples) {
        if (samples.isEmpty()) {
            return new Trend(0, 0, 0, Double.NaN, Double.NaN);
        }
        double half = samples.get(samples.size() - 1)[0] / 2;
        List<double[]> tail = samples.stream().filter(s -> s[0] >= half).toList();
        int n = tail.size();
        if (n < 3) {
            return new Trend(0, 0, n, Double.NaN, Double.NaN);
        }
        double meanT = tail.stream().mapToDouble(s -> s[0]).average().orElseThrow();
        double meanY = tail.stream().mapToDouble(s -> s[1]).average().orElseThrow();
        double sxx = 0;
        double sxy = 0;
        for (double[] s : tail) {
            sxx += (s[0] - meanT) * (s[0] - meanT);
            sxy += (s[0] - meanT) * (s[1] - meanY);
        }
        double slope = sxy / sxx;
        double residuals = 0;
        for (double[] s : tail) {
            double error = s[1] - (meanY + slope * (s[0] - meanT));
            residuals += error * error;
        }
        double standardError = Math.sqrt(residuals / (n - 2) / sxx);
        return new Trend(slope * 3600, standardError * 3600, n, tail.get(0)[1], tail.get(n - 1)[1]);
    }

    Verdict verdict(double thresholdPerHour) {
        if (points < 4) {
            return Verdict.TOO_FEW_SAMPLES;
        }
        boolean significant = Math.abs(slopePerHour) > 2 * standardErrorPerHour;
        if (significant && slopePerHour > thresholdPerHour) {
            return Verdict.GROWING;
        }
        if (significant && slopePerHour < -thresholdPerHour) {
            return Verdict.SHRINKING;
        }
        return Verdict.FLAT;
    }
}
