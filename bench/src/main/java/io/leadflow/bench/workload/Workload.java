package io.leadflow.bench.workload;

import io.leadflow.bench.workload.Companies.Company;
import io.leadflow.bench.workload.Step.ActivityKind;
import io.leadflow.bench.workload.Step.CommandAction;
import io.leadflow.matching.CreditCodes;
import io.leadflow.matching.EmailNormalizer;
import io.leadflow.matching.KeyKind;
import io.leadflow.matching.LeadFields;
import io.leadflow.matching.MatchEngine;
import io.leadflow.matching.MatchKey;
import io.leadflow.matching.PhoneNormalizer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A seeded, realistic CRM workload — a pure function of its {@link WorkloadSpec}: several tenants, each with
 * companies (Chinese and Latin names, e-mail, mobile, website, credit codes with valid check characters), later
 * leads of the same companies (the company's primary key in other case or format, under another form of its
 * name, some sent for another salesperson: collisions), leads sent for a salesperson ({@code intendedOwner}),
 * activities by lead id (follow-ups; stage changes through the default stages with amounts; won, lost) and
 * claims and releases by simulated salespeople (some refused: already owned, not the owner, cooldown).
 *
 * <p>Built so that {@link Reference} can compute the final state exactly from the steps the pipeline accepted:
 *
 * <ul>
 *   <li>every lead of a company carries the company's primary key, and no match key (as the processor
 *       normalises it: {@link MatchEngine#crm}) is shared by two companies, so whatever subset of leads is
 *       accepted, in whatever order, the leads of one company make exactly one customer, founded by its first
 *       accepted lead;
 *   <li>no salesperson is sent more than {@value #CLAIM_BUDGET} claims nor placed (intended owner) or claimed
 *       more than {@value #HOLD_BUDGET} times, so with the default rules no claim or placement ever meets the
 *       capacity (200) or daily limit (50), and a command's outcome depends only on its own customer.
 * </ul>
 *
 * What a driver must do for the Reference to stay exact:
 *
 * <ol>
 *   <li>send a tenant's leads in workload order, each once answered before the next (retries of the same lead
 *       are harmless: a lead id is taken once);
 *   <li>send an {@link Step.Activity} or {@link Step.Command} only once its company's customer is served by the
 *       api (its id is {@code CustomerIds.ofFoundingLead(tenant, first accepted lead of the company)}) and, for
 *       an activity, that customer holds the activity's lead; skip it if that lead was never accepted;
 *   <li>send the activities and commands of one company one after the other in workload order, each after the
 *       previous one was answered (a command: with its outcome);
 *   <li>give the Reference the accepted steps in the order they were accepted.
 * </ol>
 *
 * Tenants are independent; a driver may run them in parallel. Dependent steps concern companies whose first
 * lead is at least {@link WorkloadSpec#minGap()} steps of the tenant earlier, so at a steady rate they rarely
 * wait.
 */
public final class Workload {

    public static final List<String> TENANT_NAMES =
            List.of("acme", "huaxin", "nordwind", "xingyun", "bluepeak", "jinqiao", "lumen", "tianyu");
    public static final List<String> SALESPEOPLE = List.of(
            "li.lei", "han.meimei", "zhang.wei", "emma.smith", "wang.fang", "lucas.martin", "chen.jing", "sofia.rossi");

    /** Claims sent per salesperson at most: below the default daily limit of 50. */
    public static final int CLAIM_BUDGET = 40;
    /** Placements and claims per salesperson at most: below the default capacity of 200. */
    public static final int HOLD_BUDGET = 150;

    /** The default stages a customer moves through, in order, before WON or LOST. */
    static final List<String> OPEN_STAGES = List.of("NEW", "CONTACTED", "QUALIFIED", "PROPOSAL", "NEGOTIATION");

    private static final String[] FOLLOW_UP_TYPES = {"CALL", "VISIT", "EMAIL", "MEETING", "NOTE"};
    private static final String[] RELEASE_REASONS = {"no budget this year", "went with a competitor", "wrong contact"};

    private final WorkloadSpec spec;
    private final List<Step> steps;
    private final Map<String, List<String>> salespeople;

    private Workload(WorkloadSpec spec, List<Step> steps, Map<String, List<String>> salespeople) {
        this.spec = spec;
        this.steps = List.copyOf(steps);
        this.salespeople = salespeople;
    }

    public static Workload generate(WorkloadSpec spec) {
        return generate(spec, "");
    }

    /**
     * The same workload with {@code tenantPrefix} before every tenant's name (so before its lead, activity and
     * command ids): several workloads can then share one pipeline without sharing a tenant.
     */
    public static Workload generate(WorkloadSpec spec, String tenantPrefix) {
        List<TenantPlan> plans = new ArrayList<>();
        Map<String, List<String>> salespeople = new LinkedHashMap<>();
        for (int i = 0; i < spec.tenants(); i++) {
            String tenant = tenantPrefix + TENANT_NAMES.get(i);
            TenantPlan plan = new TenantPlan(
                    tenant,
                    SALESPEOPLE.subList(0, spec.salespeoplePerTenant()),
                    spec,
                    new Random(spec.seed() * 31 + i));
            plan.generate();
            plans.add(plan);
            salespeople.put(tenant, plan.salespeople);
        }
        return new Workload(spec, interleave(plans, new Random(spec.seed())), salespeople);
    }

    public WorkloadSpec spec() {
        return spec;
    }

    /** Every step, tenants interleaved; each tenant's steps in their order. */
    public List<Step> steps() {
        return steps;
    }

    /** The steps of one tenant, in order. */
    public List<Step> steps(String tenant) {
        return steps.stream().filter(step -> step.tenant().equals(tenant)).toList();
    }

    public List<String> tenants() {
        return List.copyOf(salespeople.keySet());
    }

    /** The simulated salespeople of {@code tenant} (role {@code sales}, no team). */
    public List<String> salespeople(String tenant) {
        return salespeople.get(tenant);
    }

    /** How many steps of each kind: {@code leads}, {@code activities}, {@code commands}. */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("leads", steps.stream().filter(Step.Lead.class::isInstance).count());
        counts.put(
                "activities",
                steps.stream().filter(Step.Activity.class::isInstance).count());
        counts.put(
                "commands",
                steps.stream().filter(Step.Command.class::isInstance).count());
        return counts;
    }

    private static List<Step> interleave(List<TenantPlan> plans, Random random) {
        List<Step> all = new ArrayList<>();
        int[] next = new int[plans.size()];
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            open.add(i);
        }
        while (!open.isEmpty()) {
            int pick = random.nextInt(open.size());
            int tenant = open.get(pick);
            all.add(plans.get(tenant).steps.get(next[tenant]++));
            if (next[tenant] == plans.get(tenant).steps.size()) {
                open.remove(pick);
            }
        }
        return all;
    }

    /** One tenant's steps, generated with a model of what the pipeline will make of them. */
    private static final class TenantPlan {

        private static final MatchEngine ENGINE = MatchEngine.crm("CN");
        private static final PhoneNormalizer PHONES = new PhoneNormalizer("CN");
        private static final int TRIES = 50;

        private final String tenant;
        private final List<String> salespeople;
        private final WorkloadSpec spec;
        private final Random random;
        private final Companies maker;
        private final List<Step> steps = new ArrayList<>();
        private final List<Plan> companies = new ArrayList<>();
        private final Map<MatchKey, Integer> keyHolders = new HashMap<>();
        private final Map<String, Integer> claimsSent = new HashMap<>();
        private final Map<String, Integer> held = new HashMap<>();
        private int leads;

        TenantPlan(String tenant, List<String> salespeople, WorkloadSpec spec, Random random) {
            this.tenant = tenant;
            this.salespeople = List.copyOf(salespeople);
            this.spec = spec;
            this.random = random;
            this.maker = new Companies(random);
        }

        void generate() {
            int total = 100 + spec.activitiesPerHundredLeads() + spec.commandsPerHundredLeads();
            while (leads < spec.leadsPerTenant()) {
                int dice = random.nextInt(total);
                if (dice < 100) {
                    if (random.nextInt(100) >= spec.duplicatePercent() || !repeatLead()) {
                        newCompany();
                    }
                } else if (dice < 100 + spec.activitiesPerHundredLeads()) {
                    activity();
                } else {
                    command();
                }
            }
        }

        private void newCompany() {
            for (int attempt = 0; attempt < TRIES; attempt++) {
                Company company = maker.next();
                Map<String, Object> body = maker.firstLead(company);
                Optional<Set<MatchKey>> keys = keysIfValid(body);
                if (keys.isEmpty() || keys.get().stream().anyMatch(keyHolders::containsKey)) {
                    continue;
                }
                int index = companies.size();
                Plan plan = new Plan(index, company, primaryKey(company, keys.get()), steps.size());
                companies.add(plan);
                String owner = random.nextInt(100) < spec.intendedOwnerPercent() ? withHoldBudget() : null;
                if (owner != null) {
                    held.merge(owner, 1, Integer::sum);
                    plan.owner = owner;
                }
                addLead(plan, body, keys.get(), true, owner);
                return;
            }
            throw new IllegalStateException("no new company without a clash in " + TRIES + " tries");
        }

        private boolean repeatLead() {
            Optional<Plan> target = eligibleCompany();
            if (target.isEmpty()) {
                return false;
            }
            Plan plan = target.get();
            int first = random.nextInt(6);
            for (int i = 0; i < 6; i++) {
                Map<String, Object> body = maker.repeatLead(plan.company, first + i, leads + 1);
                Optional<Set<MatchKey>> keys = keysIfValid(body);
                if (keys.isEmpty() || !keys.get().contains(plan.primaryKey) || clashes(keys.get(), plan.index)) {
                    continue;
                }
                String intended = null;
                if (random.nextInt(100) < 30) {
                    intended = withHoldBudget();
                    if (intended != null) {
                        held.merge(intended, 1, Integer::sum);
                    }
                }
                addLead(plan, body, keys.get(), false, intended);
                return true;
            }
            return false;
        }

        private void addLead(Plan plan, Map<String, Object> fields, Set<MatchKey> keys, boolean first, String owner) {
            leads++;
            String leadId = String.format("%s-L%06d", tenant, leads);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("leadId", leadId);
            body.putAll(fields);
            if (owner != null) {
                body.put("intendedOwner", owner);
            }
            keys.forEach(key -> keyHolders.put(key, plan.index));
            plan.leads.add(new SentLead(leadId, steps.size()));
            steps.add(new Step.Lead(
                    tenant,
                    plan.index,
                    leadId,
                    first,
                    owner,
                    (String) fields.get("source"),
                    (String) fields.get("campaign"),
                    body));
        }

        private void activity() {
            Optional<Plan> target = eligibleCompany();
            if (target.isEmpty()) {
                return;
            }
            Plan plan = target.get();
            String leadId = targetLead(plan);
            String actor = plan.owner != null ? plan.owner : pick(salespeople);
            String activityId = String.format("%s-A%06d", tenant, steps.size() + 1);
            ActivityKind kind = ActivityKind.STAGE_CHANGE;
            String followUpType = null;
            String stage = null;
            BigDecimal amount = null;
            int next = nextStage(plan.stage);
            if (plan.closed || random.nextInt(100) < 35) {
                kind = ActivityKind.FOLLOW_UP;
                followUpType = pick(FOLLOW_UP_TYPES);
            } else if (next >= OPEN_STAGES.size()) {
                boolean won = random.nextInt(100) < 70;
                kind = won ? ActivityKind.WON : ActivityKind.LOST;
                amount = won ? amountNear(plan.amount) : null;
                plan.closed = true;
            } else {
                stage = OPEN_STAGES.get(next);
                if (stage.equals("PROPOSAL") || next > 3 && random.nextBoolean()) {
                    amount = amountNear(plan.amount);
                    plan.amount = amount;
                }
                plan.stage = next;
            }
            steps.add(new Step.Activity(
                    tenant, plan.index, activityId, leadId, kind, followUpType, stage, amount, actor));
        }

        /** Mostly the next stage; sometimes one skipped, sometimes one back. */
        private int nextStage(int current) {
            int dice = random.nextInt(100);
            if (dice < 8 && current > 1) {
                return current - 1;
            }
            return dice < 18 ? current + 2 : current + 1;
        }

        /** A new amount in yuan with cents: 5,000 to 805,000, or 80% to 120% of the earlier one. */
        private BigDecimal amountNear(BigDecimal earlier) {
            long yuan = earlier == null
                    ? 5_000 + random.nextInt(800) * 1_000L
                    : Math.max(1_000, earlier.longValue() * (80 + random.nextInt(40)) / 100);
            return BigDecimal.valueOf(yuan * 100 + random.nextInt(100), 2);
        }

        private void command() {
            Optional<Plan> target = eligibleCompany();
            if (target.isEmpty()) {
                return;
            }
            Plan plan = target.get();
            String key = String.format("%s-C%06d", tenant, steps.size() + 1);
            if (plan.owner == null) {
                boolean tryCooldown = !plan.cooldown.isEmpty() && random.nextInt(100) < 15;
                List<String> candidates = salespeople.stream()
                        .filter(this::hasClaimBudget)
                        .filter(user -> tryCooldown == plan.cooldown.contains(user))
                        .toList();
                if (candidates.isEmpty()) {
                    return;
                }
                String actor = pick(candidates);
                claimsSent.merge(actor, 1, Integer::sum);
                held.merge(actor, 1, Integer::sum);
                if (!plan.cooldown.contains(actor)) {
                    plan.owner = actor;
                }
                steps.add(new Step.Command(tenant, plan.index, key, actor, CommandAction.CLAIM, null));
                return;
            }
            int dice = random.nextInt(100);
            if (dice < 65) {
                steps.add(new Step.Command(
                        tenant, plan.index, key, plan.owner, CommandAction.RELEASE, pick(RELEASE_REASONS)));
                plan.cooldown.add(plan.owner);
                plan.owner = null;
                return;
            }
            List<String> others = salespeople.stream()
                    .filter(user -> !user.equals(plan.owner))
                    .toList();
            if (others.isEmpty()) {
                return;
            }
            if (dice < 85) {
                List<String> claimers =
                        others.stream().filter(this::hasClaimBudget).toList();
                if (!claimers.isEmpty()) {
                    String actor = pick(claimers);
                    claimsSent.merge(actor, 1, Integer::sum);
                    held.merge(actor, 1, Integer::sum);
                    steps.add(new Step.Command(tenant, plan.index, key, actor, CommandAction.CLAIM, null));
                }
                return;
            }
            steps.add(new Step.Command(
                    tenant, plan.index, key, pick(others), CommandAction.RELEASE, "not mine to release"));
        }

        private boolean hasClaimBudget(String user) {
            return claimsSent.getOrDefault(user, 0) < CLAIM_BUDGET && held.getOrDefault(user, 0) < HOLD_BUDGET;
        }

        private String withHoldBudget() {
            List<String> candidates = salespeople.stream()
                    .filter(user -> held.getOrDefault(user, 0) < HOLD_BUDGET)
                    .toList();
            return candidates.isEmpty() ? null : pick(candidates);
        }

        /** A company whose first lead is at least {@code minGap} steps back. */
        private Optional<Plan> eligibleCompany() {
            int eligible = 0;
            while (eligible < companies.size() && companies.get(eligible).firstStep + spec.minGap() <= steps.size()) {
                eligible++;
            }
            return eligible == 0 ? Optional.empty() : Optional.of(companies.get(random.nextInt(eligible)));
        }

        /** Mostly the company's first lead; sometimes a later one that is old enough. */
        private String targetLead(Plan plan) {
            List<SentLead> old = plan.leads.stream()
                    .filter(lead -> lead.step + spec.minGap() <= steps.size())
                    .toList();
            return random.nextInt(100) < 80 || old.size() < 2
                    ? plan.leads.get(0).leadId
                    : old.get(random.nextInt(old.size())).leadId;
        }

        private boolean clashes(Set<MatchKey> keys, int company) {
            return keys.stream().anyMatch(key -> keyHolders.getOrDefault(key, company) != company);
        }

        /**
         * The lead's match keys as the processor derives them, if ingest will take every field (valid e-mail,
         * phones of the region, credit code).
         */
        @SuppressWarnings("unchecked")
        private static Optional<Set<MatchKey>> keysIfValid(Map<String, Object> body) {
            Map<String, Object> company = (Map<String, Object>) body.get("company");
            Map<String, Object> contact = (Map<String, Object>) body.get("contact");
            String creditCode = (String) company.get("creditCode");
            String email = (String) contact.get("email");
            String phone = (String) contact.get("phone");
            String mobile = (String) contact.get("mobile");
            if (creditCode != null && CreditCodes.normalize(creditCode).isEmpty()
                    || email != null && EmailNormalizer.normalize(email).isEmpty()
                    || phone != null && PHONES.toE164(phone).isEmpty()
                    || mobile != null && PHONES.toE164(mobile).isEmpty()) {
                return Optional.empty();
            }
            LeadFields fields = new LeadFields(
                    (String) company.get("name"), creditCode, email, phone, mobile, (String) company.get("website"));
            return Optional.of(new LinkedHashSet<>(ENGINE.prepare(fields).matchKeys()));
        }

        private static MatchKey primaryKey(Company company, Set<MatchKey> keys) {
            KeyKind kind = company.primary();
            return keys.stream()
                    .filter(key -> key.kind() == kind)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + kind + " key for " + company));
        }

        private <T> T pick(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }

        private <T> T pick(T[] values) {
            return values[random.nextInt(values.length)];
        }
    }

    /** A lead of a company and the tenant step that sent it. */
    private record SentLead(String leadId, int step) {}

    /** What the generator expects of one company, to make sensible steps for it. */
    private static final class Plan {
        final int index;
        final Company company;
        final MatchKey primaryKey;
        final int firstStep;
        final List<SentLead> leads = new ArrayList<>();
        final Set<String> cooldown = new LinkedHashSet<>();
        String owner;
        int stage;
        boolean closed;
        BigDecimal amount;

        Plan(int index, Company company, MatchKey primaryKey, int firstStep) {
            this.index = index;
            this.company = company;
            this.primaryKey = primaryKey;
            this.firstStep = firstStep;
        }
    }
}
