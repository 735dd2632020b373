package io.leadflow.bench.workload;

import io.leadflow.avro.PoolRuleSet;
import io.leadflow.bench.workload.Step.CommandAction;
import io.leadflow.processor.identity.CustomerIds;
import io.leadflow.processor.rules.TenantRulesDefaults;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The final state the pipeline must reach, computed from the steps it accepted — a plain model of the rules,
 * independent of the streaming code: one customer per company that had a lead accepted, holding exactly those
 * leads and founded by the first (its id derived from it, as the processor does); placed with the founding
 * lead's intended owner or in the default public pool (the tenant runs on the default rules); then moved by
 * claims (refused {@code ALREADY_OWNED}, or {@code COOLDOWN} for an owner who released it) and releases (refused
 * {@code NOT_OWNER} unless the owner sends it) in the order given; stage and amount set by activities in the
 * order given. From those: each owner's customers, live funnel figures (count and amount per stage, won, lost)
 * per tenant, owner, source and campaign, and each command's outcome.
 *
 * <p>Exact under the conditions that {@link Workload} states; it refuses input in which a salesperson could meet
 * the capacity or daily claim limit, since the outcome would then depend on the order of other customers'
 * commands.
 */
public final class Reference {

    /** The stages a won or lost activity enters under the default rules. */
    public static final String WON = "WON";

    public static final String LOST = "LOST";
    /** A command's outcome when it was applied; otherwise its refusal reason. */
    public static final String ACCEPTED = "ACCEPTED";

    /**
     * One customer as the api must serve it in the end.
     *
     * @param leadIds in the order they were accepted
     * @param owner {@code null}: in the default public pool
     * @param amount {@code null} when no activity set one
     * @param poolEvents how many pool events of each type the customer's history must hold
     */
    public record ExpectedCustomer(
            String tenant,
            int company,
            String customerId,
            String foundingLead,
            List<String> leadIds,
            String owner,
            String stage,
            BigDecimal amount,
            String source,
            String campaign,
            Map<String, Integer> poolEvents) {}

    /** A funnel figure's dimension ({@code TENANT}, {@code OWNER}, {@code SOURCE}, {@code CAMPAIGN}) and value. */
    public record Slice(String dimension, String value) {}

    /** Customers now in a stage and the sum of their amounts (a missing amount counts as 0). */
    public record StageTotal(long count, BigDecimal amount) {

        public StageTotal {
            amount = amount.setScale(2);
        }

        StageTotal plus(BigDecimal more) {
            return new StageTotal(count + 1, amount.add(more == null ? BigDecimal.ZERO : more));
        }
    }

    /** One live funnel figure: the stages with at least one customer, and how many are won and lost. */
    public record Figures(Map<String, StageTotal> stages, long won, long lost) {}

    private final Map<String, Map<Integer, Model>> tenants;
    private final Map<String, String> outcomes;
    private final long deadLetters;

    private Reference(Map<String, Map<Integer, Model>> tenants, Map<String, String> outcomes, long deadLetters) {
        this.tenants = tenants;
        this.outcomes = outcomes;
        this.deadLetters = deadLetters;
    }

    /**
     * @param accepted the steps the pipeline accepted (a lead or an activity answered {@code 202}, a command
     *     answered with an outcome), in the order they were accepted
     * @throws IllegalStateException if a salesperson could meet the capacity or the daily claim limit
     */
    public static Reference of(List<? extends Step> accepted) {
        Map<String, Map<Integer, Model>> tenants = new TreeMap<>();
        Map<String, String> outcomes = new LinkedHashMap<>();
        Map<String, Integer> claims = new HashMap<>();
        Map<String, Integer> holds = new HashMap<>();
        long deadLetters = 0;
        Set<String> seenLeads = new java.util.HashSet<>();
        for (Step step : accepted) {
            Map<Integer, Model> companies = tenants.computeIfAbsent(step.tenant(), t -> new TreeMap<>());
            Model model = companies.get(step.company());
            if (step instanceof Step.Lead lead) {
                if (!seenLeads.add(lead.tenant() + "/" + lead.leadId())) {
                    continue;
                }
                if (model == null) {
                    companies.put(lead.company(), new Model(lead));
                    if (lead.intendedOwner() != null) {
                        holds.merge(lead.tenant() + "/" + lead.intendedOwner(), 1, Integer::sum);
                    }
                } else {
                    model.link(lead);
                }
            } else if (step instanceof Step.Activity activity) {
                if (model == null || !model.leadIds.contains(activity.leadId())) {
                    deadLetters++;
                } else {
                    model.apply(activity);
                }
            } else if (step instanceof Step.Command command) {
                if (command.action() == CommandAction.CLAIM) {
                    claims.merge(command.tenant() + "/" + command.actor(), 1, Integer::sum);
                    holds.merge(command.tenant() + "/" + command.actor(), 1, Integer::sum);
                }
                outcomes.put(command.key(), model == null ? "NOT_FOUND" : model.apply(command));
            }
        }
        requireWithinLimits(claims, holds);
        return new Reference(tenants, outcomes, deadLetters);
    }

    public Set<String> tenants() {
        return Collections.unmodifiableSet(tenants.keySet());
    }

    /** The customers of {@code tenant}, by company. */
    public List<ExpectedCustomer> customers(String tenant) {
        return tenants.getOrDefault(tenant, Map.of()).values().stream()
                .map(Model::expected)
                .toList();
    }

    /** The customer of a company, if any of its leads was accepted. */
    public Optional<ExpectedCustomer> customer(String tenant, int company) {
        return Optional.ofNullable(tenants.getOrDefault(tenant, Map.of()).get(company))
                .map(Model::expected);
    }

    /** How many customers each owner of {@code tenant} holds (owners holding none are absent). */
    public Map<String, Long> held(String tenant) {
        Map<String, Long> held = new TreeMap<>();
        for (ExpectedCustomer customer : customers(tenant)) {
            if (customer.owner() != null) {
                held.merge(customer.owner(), 1L, Long::sum);
            }
        }
        return held;
    }

    /**
     * The live funnel figures of {@code tenant} per tenant, owner, source and campaign; a customer in the public
     * pool counts in no owner's figure, and a figure without customers does not exist.
     */
    public Map<Slice, Figures> funnel(String tenant) {
        Map<Slice, Map<String, StageTotal>> stages =
                new TreeMap<>(java.util.Comparator.comparing(Slice::dimension).thenComparing(Slice::value));
        for (ExpectedCustomer customer : customers(tenant)) {
            List<Slice> slices = new ArrayList<>();
            slices.add(new Slice("TENANT", tenant));
            addIfPresent(slices, "OWNER", customer.owner());
            addIfPresent(slices, "SOURCE", customer.source());
            addIfPresent(slices, "CAMPAIGN", customer.campaign());
            for (Slice slice : slices) {
                stages.computeIfAbsent(slice, s -> new TreeMap<>())
                        .merge(
                                customer.stage(),
                                new StageTotal(0, BigDecimal.ZERO).plus(customer.amount()),
                                (a, b) -> new StageTotal(
                                        a.count() + b.count(), a.amount().add(b.amount())));
            }
        }
        Map<Slice, Figures> figures = new LinkedHashMap<>();
        stages.forEach((slice, byStage) -> figures.put(
                slice, new Figures(Collections.unmodifiableMap(byStage), count(byStage, WON), count(byStage, LOST))));
        return figures;
    }

    /** Each accepted command's outcome by its key: {@link #ACCEPTED} or the refusal reason. */
    public Map<String, String> outcomes() {
        return Collections.unmodifiableMap(outcomes);
    }

    /** Accepted activities whose lead is in no customer (the processor sends them to the dead-letter topic). */
    public long deadLetters() {
        return deadLetters;
    }

    private static long count(Map<String, StageTotal> byStage, String stage) {
        StageTotal total = byStage.get(stage);
        return total == null ? 0 : total.count();
    }

    private static void addIfPresent(List<Slice> slices, String dimension, String value) {
        if (value != null && !value.isBlank()) {
            slices.add(new Slice(dimension, value));
        }
    }

    private static void requireWithinLimits(Map<String, Integer> claims, Map<String, Integer> holds) {
        PoolRuleSet rules = TenantRulesDefaults.forTenant("any").getDefaults();
        claims.forEach((owner, count) -> {
            if (count >= rules.getDailyClaimLimit()) {
                throw new IllegalStateException(owner + " sent " + count + " claims: the daily limit could decide");
            }
        });
        holds.forEach((owner, count) -> {
            if (count >= rules.getPrivatePoolCapacity()) {
                throw new IllegalStateException(
                        owner + " got up to " + count + " customers: the capacity could decide");
            }
        });
    }

    /** One company's customer as the rules make it. */
    private static final class Model {
        final String tenant;
        final int company;
        final String foundingLead;
        final List<String> leadIds = new ArrayList<>();
        final Set<String> cooldown = new LinkedHashSet<>();
        final Map<String, Integer> poolEvents = new LinkedHashMap<>();
        final String source;
        final String campaign;
        String owner;
        String stage = "NEW";
        BigDecimal amount;

        Model(Step.Lead founding) {
            this.tenant = founding.tenant();
            this.company = founding.company();
            this.foundingLead = founding.leadId();
            this.source = founding.source();
            this.campaign = founding.campaign();
            this.owner = founding.intendedOwner();
            leadIds.add(founding.leadId());
            event("CREATED");
            if (owner != null) {
                event("ASSIGNED");
            }
        }

        void link(Step.Lead lead) {
            leadIds.add(lead.leadId());
            event("LEAD_LINKED");
        }

        void apply(Step.Activity activity) {
            switch (activity.kind()) {
                case STAGE_CHANGE -> stage = Objects.requireNonNull(activity.stage(), "stage");
                case WON -> stage = WON;
                case LOST -> stage = LOST;
                default -> {
                    // a follow-up moves no stage
                }
            }
            if (activity.amount() != null) {
                amount = activity.amount();
            }
        }

        String apply(Step.Command command) {
            String actor = command.actor();
            if (command.action() == CommandAction.CLAIM) {
                if (owner != null) {
                    return "ALREADY_OWNED";
                }
                if (cooldown.contains(actor)) {
                    return "COOLDOWN";
                }
                owner = actor;
                event("CLAIMED");
                return ACCEPTED;
            }
            if (owner == null || !owner.equals(actor)) {
                return "NOT_OWNER";
            }
            cooldown.add(owner);
            owner = null;
            event("RELEASED");
            return ACCEPTED;
        }

        private void event(String type) {
            poolEvents.merge(type, 1, Integer::sum);
        }

        ExpectedCustomer expected() {
            return new ExpectedCustomer(
                    tenant,
                    company,
                    CustomerIds.ofFoundingLead(tenant, foundingLead),
                    foundingLead,
                    List.copyOf(leadIds),
                    owner,
                    stage,
                    amount,
                    source,
                    campaign,
                    Map.copyOf(poolEvents));
        }
    }
}
