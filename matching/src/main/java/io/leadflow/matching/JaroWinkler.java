package io.leadflow.matching;

/** Jaro-Winkler similarity (prefix scale 0.1, up to four prefix characters), over code points. */
final class JaroWinkler {

    private JaroWinkler() {}

    static double similarity(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        if (x.length == 0 || y.length == 0) {
            return 0;
        }
        int window = Math.max(0, Math.max(x.length, y.length) / 2 - 1);
        boolean[] matchedX = new boolean[x.length];
        boolean[] matchedY = new boolean[y.length];
        int matches = 0;
        for (int i = 0; i < x.length; i++) {
            int from = Math.max(0, i - window);
            int to = Math.min(y.length - 1, i + window);
            for (int j = from; j <= to; j++) {
                if (!matchedY[j] && x[i] == y[j]) {
                    matchedX[i] = true;
                    matchedY[j] = true;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) {
            return 0;
        }
        int transpositions = 0;
        for (int i = 0, j = 0; i < x.length; i++) {
            if (matchedX[i]) {
                while (!matchedY[j]) {
                    j++;
                }
                if (x[i] != y[j]) {
                    transpositions++;
                }
                j++;
            }
        }
        double m = matches;
        double jaro = (m / x.length + m / y.length + (m - transpositions / 2.0) / m) / 3;
        int prefix = 0;
        while (prefix < Math.min(4, Math.min(x.length, y.length)) && x[prefix] == y[prefix]) {
            prefix++;
        }
        return jaro + prefix * 0.1 * (1 - jaro);
    }
}
