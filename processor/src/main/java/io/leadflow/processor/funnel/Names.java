package io.leadflow.processor.funnel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared instance per stage name and path. Every change looks its stages and path up in a score of
 * figures' maps; with one instance per name a lookup finds the name's hash already computed and the
 * stored key by reference, instead of comparing the characters of two copies (most of which are not in
 * the processor's cache). A tenant has a few stages and at most a few hundred paths, so the names kept
 * are bounded; past the bound, names are used as they come, which only makes lookups slower.
 */
final class Names {

    private static final Names SHARED = new Names(10_000);

    private final Map<String, String> kept = new ConcurrentHashMap<>();
    private final int maxKept;

    Names(int maxKept) {
        this.maxKept = maxKept;
    }

    /** The instance equal to {@code name} that every stream thread of the JVM uses. */
    static String canonical(String name) {
        return SHARED.of(name);
    }

    /** The instance equal to {@code name} kept here, or {@code name} itself once the bound is reached. */
    String of(String name) {
        String known = kept.get(name);
        if (known != null) {
            return known;
        }
        if (kept.size() >= maxKept) {
            return name;
        }
        known = kept.putIfAbsent(name, name);
        return known == null ? name : known;
    }
}
