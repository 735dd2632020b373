package io.leadflow.bench.crash;

import io.leadflow.bench.workload.Reference;
import io.leadflow.bench.workload.Reference.ExpectedCustomer;
import io.leadflow.bench.workload.Reference.Figures;
import io.leadflow.bench.workload.Reference.Slice;
import io.leadflow.bench.workload.Reference.StageTotal;
import io.leadflow.bench.workload.Workload;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Compares what the api serves with a {@link Reference}: every difference as a line a person can read, so a
 * test can wait until there are none and, if that never happens, fail with them.
 */
final class Served {

    static final List<String> FUNNEL_DIMENSIONS = List.of("TENANT", "OWNER", "SOURCE", "CAMPAIGN");
    private static final int MAX_REPORTED = 25;

    private Served() {}

    /** Customers (their leads, owner, stage, amount) and live funnel figures that differ from the reference. */
    static List<String> differences(PipelineClient client, Reference reference) throws IOException {
        List<String> differences = new ArrayList<>();
        for (String tenant : reference.tenants()) {
            differences.addAll(customerDifferences(tenant, client.customers(tenant), reference.customers(tenant)));
            differences.addAll(funnelDifferences(client, tenant, reference.funnel(tenant)));
        }
        return differences.size() <= MAX_REPORTED ? differences : List.copyOf(differences.subList(0, MAX_REPORTED));
    }

    /**
     * Per-owner figures against the reference: each salesperson's private pool as the api serves it (customers
     * held, capacity used) and, where the api serves them ({@code GET /api/v1/owners/{owner}/figures}), the owner
     * figures (held, held counting against capacity). An api without that endpoint answers 404 for every owner;
     * then only the private pools are compared.
     */
    static OwnerComparison ownerDifferences(PipelineClient client, Reference reference, Workload workload)
            throws IOException {
        List<String> differences = new ArrayList<>();
        List<String> missingFigures = new ArrayList<>();
        boolean figuresServed = false;
        for (String tenant : reference.tenants()) {
            Map<String, Long> held = reference.held(tenant);
            Map<String, Long> used = reference.capacityUsed(tenant);
            for (String owner : workload.salespeople(tenant)) {
                long wantHeld = held.getOrDefault(owner, 0L);
                long wantUsed = used.getOrDefault(owner, 0L);
                JsonNode pool = client.privatePool(tenant, owner);
                compareOwner(
                        differences, tenant + "/" + owner + " private pool", pool, "total", "used", wantHeld, wantUsed);
                PipelineClient.Answer figures = client.ownerFigures(tenant, owner);
                if (figures.status() == 200) {
                    figuresServed = true;
                    compareOwner(
                            differences,
                            tenant + "/" + owner + " owner figures",
                            figures.body(),
                            "held",
                            "heldCountingCapacity",
                            wantHeld,
                            wantUsed);
                } else if (wantHeld > 0) {
                    missingFigures.add(tenant + "/" + owner + ": no owner figures (" + figures.status() + ")");
                }
            }
        }
        if (figuresServed) {
            differences.addAll(missingFigures);
        }
        return new OwnerComparison(differences, figuresServed);
    }

    /** The differences in per-owner figures, and whether the api serves owner figures at all. */
    record OwnerComparison(List<String> differences, boolean figuresServed) {}

    private static void compareOwner(
            List<String> differences,
            String who,
            JsonNode served,
            String heldField,
            String usedField,
            long wantHeld,
            long wantUsed) {
        long servedHeld = served.get(heldField).asLong();
        long servedUsed = served.get(usedField).asLong();
        if (servedHeld != wantHeld || servedUsed != wantUsed) {
            differences.add(who + ": holds " + servedHeld + " using " + servedUsed + ", expected " + wantHeld
                    + " using " + wantUsed);
        }
    }

    /**
     * Each customer's pool history: every event once (no event id twice), the kinds and numbers of events the
     * reference expects, and an owner sequence that follows the rules (a claim takes a customer nobody holds, a
     * release gives back one its owner held) and ends with the owner served.
     */
    static List<String> historyDifferences(PipelineClient client, Reference reference) throws IOException {
        List<String> differences = new ArrayList<>();
        for (String tenant : reference.tenants()) {
            for (ExpectedCustomer expected : reference.customers(tenant)) {
                differences.addAll(historyDifferences(expected, client.history(tenant, expected.customerId())));
            }
        }
        return differences;
    }

    static List<String> historyDifferences(ExpectedCustomer expected, List<JsonNode> events) {
        List<String> differences = new ArrayList<>();
        String who = expected.tenant() + "/" + expected.customerId() + " (company " + expected.company() + ")";
        Set<String> ids = new HashSet<>();
        Map<String, Integer> counts = new HashMap<>();
        List<JsonNode> ordered = new ArrayList<>(events);
        ordered.sort(java.util.Comparator.comparingLong(Served::versionOf));
        String owner = null;
        for (JsonNode event : ordered) {
            String id = text(event, "eventId");
            String type = text(event, "type");
            if (!ids.add(id)) {
                differences.add(who + ": event " + id + " twice");
            }
            counts.merge(type, 1, Integer::sum);
            switch (type) {
                case "ASSIGNED", "CLAIMED" -> {
                    if (owner != null) {
                        differences.add(who + ": " + id + " while held by " + owner);
                    }
                    owner = text(event, "toOwner");
                }
                case "RELEASED" -> {
                    if (owner == null || !owner.equals(text(event, "fromOwner"))) {
                        differences.add(
                                who + ": " + id + " from " + text(event, "fromOwner") + " but held by " + owner);
                    }
                    owner = null;
                }
                default -> {
                    // CREATED, LEAD_LINKED: no owner change
                }
            }
        }
        if (!counts.equals(expected.poolEvents())) {
            differences.add(who + ": pool events " + new TreeMap<>(counts) + ", expected "
                    + new TreeMap<>(expected.poolEvents()));
        }
        if (!Objects.equals(owner, expected.owner())) {
            differences.add(who + ": events end with owner " + owner + ", expected " + expected.owner());
        }
        return differences;
    }

    private static long versionOf(JsonNode event) {
        String[] parts = text(event, "eventId").split("#");
        return Long.parseLong(parts[1]);
    }

    private static List<String> customerDifferences(
            String tenant, List<JsonNode> served, List<ExpectedCustomer> expected) {
        List<String> differences = new ArrayList<>();
        Map<String, JsonNode> byId = new HashMap<>();
        served.forEach(customer -> byId.put(text(customer, "customerId"), customer));
        Set<String> expectedIds = new HashSet<>();
        for (ExpectedCustomer customer : expected) {
            expectedIds.add(customer.customerId());
            String who = tenant + " company " + customer.company() + " (" + customer.customerId() + ")";
            JsonNode node = byId.get(customer.customerId());
            if (node == null) {
                differences.add(who + ": not served");
                continue;
            }
            Set<String> leads = new HashSet<>();
            node.get("leadIds").forEach(id -> leads.add(id.asString()));
            if (!leads.equals(Set.copyOf(customer.leadIds()))) {
                differences.add(who + ": leads " + new java.util.TreeSet<>(leads) + ", expected "
                        + new java.util.TreeSet<>(customer.leadIds()));
            }
            if (node.get("leadIds").size() != customer.leadIds().size()) {
                differences.add(who + ": " + node.get("leadIds").size() + " lead ids listed, expected "
                        + customer.leadIds().size());
            }
            compare(differences, who, "owner", text(node, "owner"), customer.owner());
            compare(differences, who, "stage", text(node, "stage"), customer.stage());
            compareAmounts(differences, who, decimal(node.get("amount")), customer.amount());
        }
        byId.keySet().stream()
                .filter(id -> !expectedIds.contains(id))
                .forEach(id -> differences.add(tenant + ": customer " + id + " served but not expected, leads "
                        + byId.get(id).get("leadIds")));
        return differences;
    }

    private static List<String> funnelDifferences(PipelineClient client, String tenant, Map<Slice, Figures> expected)
            throws IOException {
        Map<Slice, Figures> served = new HashMap<>();
        for (String dimension : FUNNEL_DIMENSIONS) {
            for (JsonNode figure : client.funnel(tenant, dimension)) {
                if (!"live".equals(text(figure, "period"))) {
                    continue;
                }
                Map<String, StageTotal> stages = new TreeMap<>();
                for (JsonNode stage : figure.get("stages")) {
                    long count = stage.get("count").asLong();
                    if (count > 0) {
                        BigDecimal amount = decimal(stage.get("amount"));
                        stages.put(
                                text(stage, "stage"), new StageTotal(count, amount == null ? BigDecimal.ZERO : amount));
                    }
                }
                served.put(
                        new Slice(dimension, text(figure, "value")),
                        new Figures(
                                stages,
                                figure.get("won").asLong(),
                                figure.get("lost").asLong()));
            }
        }
        List<String> differences = new ArrayList<>();
        Set<Slice> slices = new HashSet<>(expected.keySet());
        slices.addAll(served.keySet());
        for (Slice slice : slices) {
            Figures want = expected.get(slice);
            Figures got = served.get(slice);
            boolean gotEmpty = got == null || got.stages().isEmpty();
            if (want == null && gotEmpty) {
                continue;
            }
            if (want == null || got == null || !want.equals(got)) {
                differences.add(tenant + " funnel " + slice.dimension() + "=" + slice.value() + ": served " + got
                        + ", expected " + want);
            }
        }
        return differences;
    }

    private static void compare(List<String> differences, String who, String field, Object served, Object expected) {
        if (!Objects.equals(served, expected)) {
            differences.add(who + ": " + field + " " + served + ", expected " + expected);
        }
    }

    private static void compareAmounts(List<String> differences, String who, BigDecimal served, BigDecimal expected) {
        boolean same = served == null ? expected == null : expected != null && served.compareTo(expected) == 0;
        if (!same) {
            differences.add(who + ": amount " + served + ", expected " + expected);
        }
    }

    private static BigDecimal decimal(JsonNode node) {
        return node == null || node.isNull() ? null : new BigDecimal(node.asString());
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
