package io.leadflow.processor.identity;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The merge redirects ({@code mergedId → survivorId}) of a task's tenants, kept in memory by the lead
 * resolver: every fuzzy candidate and every exact holder of a lead is checked for a redirect, and in the
 * store that is a lookup of a key that is almost never there. A tenant's redirects are read from the store
 * once, and again whenever its merge version (written with every merge, {@link StoreMatchIndex#recordMerge})
 * is not the one they were read at; the version is read once per lead. The merge command writes through
 * the same store in the same task, so the next lead sees its redirect.
 */
final class MergeRedirects {

    /** Keeps nothing: every redirect is looked up in the store. */
    static final MergeRedirects NONE = new MergeRedirects();

    private record Read(String version, Map<String, String> survivors) {}

    private final Map<String, Read> byTenant = new HashMap<>();

    /**
     * The tenant's redirects as the store holds them at merge {@code version} (null: the tenant has no
     * version, i.e. no merge since versions were written), read with {@code read} unless already held.
     */
    Map<String, String> of(String tenant, String version, Supplier<Map<String, String>> read) {
        Read held = byTenant.get(tenant);
        if (held == null || !Objects.equals(held.version(), version)) {
            held = new Read(version, Map.copyOf(read.get()));
            byTenant.put(tenant, held);
        }
        return held.survivors();
    }

    /** A map to read redirects into. */
    static Map<String, String> empty() {
        return new HashMap<>();
    }
}
