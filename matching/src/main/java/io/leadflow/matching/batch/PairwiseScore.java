package io.leadflow.matching.batch;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Pairwise precision, recall and F1 of a clustering against true labels: over all unordered pairs of
 * records, a pair is predicted when both records share a cluster and true when they share a label.
 */
public record PairwiseScore(long truePositives, long predictedPairs, long truePairs) {

    /** Scores {@code clusters} (record id → cluster id) against {@code labels} (record id → label). */
    public static PairwiseScore of(Map<String, String> clusters, Map<String, String> labels) {
        Objects.requireNonNull(clusters, "clusters");
        Map<String, Long> clusterSizes = new HashMap<>();
        Map<String, Long> labelSizes = new HashMap<>();
        Map<String, Long> cellSizes = new HashMap<>();
        clusters.forEach((record, cluster) -> {
            String label = labels.get(record);
            if (label == null) {
                throw new IllegalArgumentException("no label for record " + record);
            }
            clusterSizes.merge(cluster, 1L, Long::sum);
            labelSizes.merge(label, 1L, Long::sum);
            cellSizes.merge(cluster + '\u0000' + label, 1L, Long::sum);
        });
        return new PairwiseScore(pairs(cellSizes), pairs(clusterSizes), pairs(labelSizes));
    }

    private static long pairs(Map<String, Long> sizes) {
        return sizes.values().stream().mapToLong(n -> n * (n - 1) / 2).sum();
    }

    public double precision() {
        return predictedPairs == 0 ? 1 : (double) truePositives / predictedPairs;
    }

    public double recall() {
        return truePairs == 0 ? 1 : (double) truePositives / truePairs;
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    @Override
    public String toString() {
        return String.format(
                java.util.Locale.ROOT,
                "precision %.4f recall %.4f F1 %.4f (%d of %d predicted pairs true, %d true pairs)",
                precision(),
                recall(),
                f1(),
                truePositives,
                predictedPairs,
                truePairs);
    }
}
