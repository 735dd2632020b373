package io.leadflow.bench.identity;

import io.leadflow.matching.KeyKind;
import io.leadflow.matching.Match;
import io.leadflow.matching.MatchEngine;
import io.leadflow.matching.MatchKey;
import io.leadflow.matching.MatchingProfile;
import io.leadflow.matching.batch.BatchReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Why the CRM engine leaves true duplicate pairs of the seeded B2B generator apart. Every missed pair (same
 * company, different customers) falls in one class:
 *
 * <ul>
 *   <li>{@code shares-a-key}: the two leads have an exact key in common, yet were not joined (the key was
 *       held by another customer, or one of them joined a stronger match elsewhere);
 *   <li>{@code linked-through-other-leads}: no key in common, but a chain of the company's leads sharing
 *       keys links them (a lead that arrives after both has to join one customer and can only suggest
 *       merging the other);
 *   <li>{@code no-shared-key}: no chain of exact keys links them at all, broken down by the name variant
 *       of the lead on the smaller side (no name, region dropped, typo, …).
 * </ul>
 *
 * <pre>… MissBreakdown 20000 42</pre>
 */
public final class MissBreakdown {

    private static final int EXAMPLES = 3;

    private MissBreakdown() {}

    public static void main(String[] args) {
        int entities = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
        MatchingProfile profile = MatchingProfile.crm("CN");
        MatchEngine engine = new MatchEngine(profile);
        List<Map<String, String>> leads = new B2bLeadGenerator(seed).leads(entities);
        List<BatchReport.Row> rows = new BatchReport(profile, B2bLeadGenerator.ID).run(leads);
        Map<String, String> clusters = BatchReport.clusters(rows);

        Map<String, List<Map<String, String>>> byEntity = new HashMap<>();
        leads.forEach(lead -> byEntity.computeIfAbsent(lead.get(B2bLeadGenerator.ENTITY), e -> new ArrayList<>())
                .add(lead));
        Tally misses = new Tally();
        long missed = 0;
        for (List<Map<String, String>> company : byEntity.values()) {
            List<Set<MatchKey>> keys = new ArrayList<>();
            company.forEach(lead -> keys.add(new HashSet<>(engine.prepare(lead).matchKeys())));
            int[] component = components(keys);
            Map<Integer, Integer> componentSizes = new HashMap<>();
            for (int c : component) {
                componentSizes.merge(c, 1, Integer::sum);
            }
            for (int i = 0; i < company.size(); i++) {
                for (int j = i + 1; j < company.size(); j++) {
                    Map<String, String> a = company.get(i);
                    Map<String, String> b = company.get(j);
                    if (clusters.get(a.get(B2bLeadGenerator.ID)).equals(clusters.get(b.get(B2bLeadGenerator.ID)))) {
                        continue;
                    }
                    missed++;
                    String kind;
                    if (!disjoint(keys.get(i), keys.get(j))) {
                        kind = "shares-a-key";
                    } else if (component[i] == component[j]) {
                        kind = "linked-through-other-leads";
                    } else {
                        int smaller = componentSizes.get(component[i]) <= componentSizes.get(component[j]) ? i : j;
                        kind = "no-shared-key/" + company.get(smaller).get(B2bLeadGenerator.NOISE)
                                + (hasNameKey(keys.get(smaller)) ? "" : "/no-name-key");
                    }
                    misses.add(kind, () -> describe(a) + "  |  " + describe(b));
                }
            }
        }
        printNameKeyMismatches(engine, byEntity);
        printWrongJoins(leads, rows);
        misses.print("generated B2B duplicates, seed " + seed + ": " + entities + " companies, " + leads.size()
                + " leads; missed true pairs: " + missed + ", by class:");
    }

    /**
     * Pairs of leads of one company, both named, whose names normalise to different keys, by the two name
     * variants: where the normaliser leaves spellings of one name apart.
     */
    private static void printNameKeyMismatches(MatchEngine engine, Map<String, List<Map<String, String>>> byEntity) {
        Tally mismatches = new Tally();
        for (List<Map<String, String>> company : byEntity.values()) {
            List<String> keys = new ArrayList<>();
            company.forEach(lead -> keys.add(engine.prepare(lead).matchKeys().stream()
                    .filter(key -> key.kind() == KeyKind.NAME)
                    .map(MatchKey::value)
                    .findFirst()
                    .orElse(null)));
            for (int i = 0; i < company.size(); i++) {
                for (int j = i + 1; j < company.size(); j++) {
                    if (keys.get(i) == null
                            || keys.get(j) == null
                            || keys.get(i).equals(keys.get(j))) {
                        continue;
                    }
                    String a = company.get(i).get(B2bLeadGenerator.NOISE);
                    String b = company.get(j).get(B2bLeadGenerator.NOISE);
                    String kind = a.compareTo(b) <= 0 ? a + " ~ " + b : b + " ~ " + a;
                    Map<String, String> first = company.get(i);
                    Map<String, String> second = company.get(j);
                    String keyOfFirst = keys.get(i);
                    String keyOfSecond = keys.get(j);
                    mismatches.add(
                            kind,
                            () -> first.get(MatchingProfile.NAME) + " [" + keyOfFirst + "]  |  "
                                    + second.get(MatchingProfile.NAME) + " [" + keyOfSecond + "]");
                }
            }
        }
        mismatches.print("pairs of named leads of one company whose name keys differ, by name variants:");
    }

    /** Leads joined to a customer founded by another company's lead, by the rule of the joining evidence. */
    private static void printWrongJoins(List<Map<String, String>> leads, List<BatchReport.Row> rows) {
        Map<String, Map<String, String>> byId = new HashMap<>();
        leads.forEach(lead -> byId.put(lead.get(B2bLeadGenerator.ID), lead));
        Tally wrong = new Tally();
        for (BatchReport.Row row : rows) {
            Map<String, String> lead = byId.get(row.recordId());
            Map<String, String> founder = byId.get(row.clusterId());
            if (lead.get(B2bLeadGenerator.ENTITY).equals(founder.get(B2bLeadGenerator.ENTITY))) {
                continue;
            }
            Match joined = row.detail().joined().orElseThrow();
            String kind = joined.evidence().get(0).rule() + "/" + lead.get(B2bLeadGenerator.NOISE);
            wrong.add(kind, () -> describe(lead) + "  joined  " + describe(founder) + "  by " + joined.evidence());
        }
        wrong.print("leads joined to a customer of another company, by joining rule / name variant:");
    }

    /** Counts by class, with the first few examples of each. */
    private static final class Tally {

        private final Map<String, Long> counts = new TreeMap<>();
        private final Map<String, List<String>> examples = new TreeMap<>();

        void add(String kind, Supplier<String> example) {
            counts.merge(kind, 1L, Long::sum);
            List<String> shown = examples.computeIfAbsent(kind, k -> new ArrayList<>());
            if (shown.size() < EXAMPLES) {
                shown.add(example.get());
            }
        }

        void print(String title) {
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            Report.print(title);
            counts.forEach((kind, n) -> Report.print(
                    String.format(Locale.ROOT, "%7d  %5.1f %%  %s", n, 100.0 * n / Math.max(1, total), kind)));
            examples.forEach((kind, shown) -> {
                Report.print("e.g. " + kind + ":");
                shown.forEach(example -> Report.print("    " + example));
            });
        }
    }

    private static boolean hasNameKey(Set<MatchKey> keys) {
        return keys.stream().anyMatch(key -> key.kind() == KeyKind.NAME);
    }

    private static boolean disjoint(Set<MatchKey> a, Set<MatchKey> b) {
        return a.stream().noneMatch(b::contains);
    }

    /** Union-find over the leads of one company: two leads sharing an exact key are in one component. */
    private static int[] components(List<Set<MatchKey>> keys) {
        int[] parent = new int[keys.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        Map<MatchKey, Integer> firstHolder = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            for (MatchKey key : keys.get(i)) {
                Integer holder = firstHolder.putIfAbsent(key, i);
                if (holder != null) {
                    parent[root(parent, i)] = root(parent, holder);
                }
            }
        }
        for (int i = 0; i < parent.length; i++) {
            parent[i] = root(parent, i);
        }
        return parent;
    }

    private static int root(int[] parent, int i) {
        int r = i;
        while (parent[r] != r) {
            r = parent[r];
        }
        return r;
    }

    private static String describe(Map<String, String> lead) {
        Map<String, String> shown = new TreeMap<>(lead);
        shown.remove(B2bLeadGenerator.ENTITY);
        return shown.toString();
    }
}
