package io.leadflow.matching;

/** Whether two short codes are one typo apart: one insertion, deletion, substitution or adjacent swap. */
final class EditDistance {

    private EditDistance() {}

    static boolean withinOne(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        if (a.length() == b.length()) {
            int first = firstDifference(a, b);
            if (a.substring(first + 1).equals(b.substring(first + 1))) {
                return true;
            }
            return first + 1 < a.length()
                    && a.charAt(first) == b.charAt(first + 1)
                    && a.charAt(first + 1) == b.charAt(first)
                    && a.substring(first + 2).equals(b.substring(first + 2));
        }
        if (Math.abs(a.length() - b.length()) != 1) {
            return false;
        }
        String longer = a.length() > b.length() ? a : b;
        String shorter = a.length() > b.length() ? b : a;
        int first = firstDifference(shorter, longer);
        return shorter.substring(first).equals(longer.substring(first + 1));
    }

    private static int firstDifference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
