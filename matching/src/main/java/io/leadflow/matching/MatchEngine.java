package io.leadflow.matching;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The one matching engine: the stream (processor), the duplicate check (api) and the batch report all
 * decide through it, against their own {@link MatchIndex}, so all three decide alike.
 *
 * <ol>
 *   <li>{@link #prepare}: normalise the fields of a record by the profile's roles into exact keys,
 *       comparable values and blocking keys. Blank and invalid values give nothing: blank never
 *       matches blank.
 *   <li>{@link #decide}: every exact key is looked up; a record sharing a key with a customer is that
 *       customer (strongest key kind wins, the others become merge suggestions). Without an exact
 *       match, the customers filed under the record's blocking keys are scored field by field; a score
 *       at the join threshold joins, at the review threshold it is a possible duplicate.
 *   <li>{@link #remember}: the record's keys that nobody holds yet point at its customer, and the
 *       customer is filed under the record's blocking keys.
 *   <li>{@link #check}: the duplicate check (查重): every matching customer with its evidence; changes
 *       nothing.
 *   <li>{@link #merge}: every key of a merged customer points at the survivor.
 * </ol>
 *
 * Instances are immutable and thread-safe.
 */
public final class MatchEngine {

    private static final int POSSIBLE_DUPLICATES_REPORTED = 5;
    private static final int MAX_MERGE_HOPS = 16;
    private static final Comparator<Match> STRONGEST_FIRST = Comparator.comparingInt(
                    (Match match) -> match.verdict().ordinal())
            .thenComparing(Comparator.comparingInt(Match::strength).reversed())
            .thenComparing(Comparator.comparingDouble(Match::score).reversed());

    private final MatchingProfile profile;
    private final PhoneNormalizer phones;
    private final List<FieldRule> compared;

    public MatchEngine(MatchingProfile profile) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.phones = new PhoneNormalizer(profile.defaultRegion());
        this.compared = profile.comparedFields();
    }

    /** The engine with the CRM default profile. */
    public static MatchEngine crm(String defaultRegion) {
        return new MatchEngine(MatchingProfile.crm(defaultRegion));
    }

    public MatchingProfile profile() {
        return profile;
    }

    // ---- prepare

    /** Normalises a record given as field name → raw value (fields the profile does not name are ignored). */
    public PreparedRecord prepare(Map<String, String> fields) {
        Objects.requireNonNull(fields, "fields");
        Map<MatchKey, SourcedKey> keys = new LinkedHashMap<>();
        Map<String, String> comparableByField = new HashMap<>();
        for (FieldRule rule : profile.fields()) {
            String raw = fields.get(rule.field());
            if (Text.isBlank(raw)) {
                continue;
            }
            String comparable = Comparisons.comparable(rule.role(), raw, phones);
            comparableByField.put(rule.field(), comparable);
            for (MatchKey key : exactKeys(rule.role(), comparable)) {
                keys.putIfAbsent(key, new SourcedKey(key, rule.field()));
            }
        }
        List<SourcedKey> strongestFirst = new ArrayList<>(keys.values());
        strongestFirst.sort(
                Comparator.comparingInt((SourcedKey key) -> key.key().kind().strength())
                        .reversed());
        List<String> comparables = new ArrayList<>(compared.size());
        Set<String> blocks = new LinkedHashSet<>();
        for (FieldRule rule : compared) {
            String comparable = comparableByField.getOrDefault(rule.field(), "");
            comparables.add(comparable);
            for (String unit : Comparisons.blockingUnits(rule.role(), comparable)) {
                blocks.add(rule.field() + ':' + unit);
            }
        }
        // After the compared values, where the record's strong keys place it: a candidate's own evidence.
        String place = RegionEvidence.of(strongestFirst).encoded();
        String fingerprint = String.join("\u001E", comparables) + (place.isEmpty() ? "" : "\u001E" + place);
        return new PreparedRecord(strongestFirst, comparables, blocks, fingerprint);
    }

    /** The CRM fields of a lead. */
    public PreparedRecord prepare(LeadFields fields) {
        return prepare(fields.toMap());
    }

    private static List<MatchKey> exactKeys(Role role, String comparable) {
        if (comparable.isEmpty()) {
            return List.of();
        }
        return switch (role) {
            case CREDIT_CODE -> List.of(new MatchKey(KeyKind.CREDIT_CODE, comparable));
            case IDENTIFIER -> List.of(new MatchKey(KeyKind.IDENTIFIER, comparable));
            case EMAIL ->
                MatchKeyExtractor.companyDomainOfEmail(comparable)
                        .map(domain ->
                                List.of(new MatchKey(KeyKind.EMAIL, comparable), new MatchKey(KeyKind.DOMAIN, domain)))
                        .orElseGet(() -> List.of(new MatchKey(KeyKind.EMAIL, comparable)));
            case PHONE -> List.of(new MatchKey(KeyKind.PHONE, comparable));
            case WEBSITE -> List.of(new MatchKey(KeyKind.DOMAIN, comparable));
            case ORGANISATION_NAME -> List.of(new MatchKey(KeyKind.NAME, Comparisons.nameKey(comparable)));
            default -> List.of();
        };
    }

    /**
     * A key stored under earlier rules ({@link KeyRules}) and the keys the current rules give for its value, read
     * again as what its kind is made from (a NAME as an organisation name, a DOMAIN as a website): the stored key
     * first, then its respellings (an e-mail also gives its company domain). A re-key adds the current spellings and
     * drops nothing: a key no lead makes any more is never looked up, while a key the current rules still make for
     * some input may not read back as itself (a name key keeps no brackets or word boundaries: {@code (北京)上海市星云}
     * gives {@code 北京上海市星云}, which read again gives {@code 北京上海星云}), and dropping it would lose that
     * input's matches. A branch's name key ({@code head#branch}) is the head read again with the branch as it was.
     * Used to re-key an index after the rules changed.
     */
    public List<MatchKey> rekeyed(MatchKey stored) {
        Objects.requireNonNull(stored, "stored");
        Set<MatchKey> keys = new LinkedHashSet<>();
        keys.add(stored);
        keys.addAll(respellings(stored));
        return List.copyOf(keys);
    }

    private List<MatchKey> respellings(MatchKey stored) {
        int branch = stored.kind() == KeyKind.NAME ? stored.value().lastIndexOf('#') : -1;
        if (branch > 0) {
            String marker = stored.value().substring(branch);
            return respellings(new MatchKey(KeyKind.NAME, stored.value().substring(0, branch))).stream()
                    .map(head ->
                            head.value().indexOf('#') < 0 ? new MatchKey(KeyKind.NAME, head.value() + marker) : head)
                    .toList();
        }
        Role role = switch (stored.kind()) {
            case CREDIT_CODE -> Role.CREDIT_CODE;
            case IDENTIFIER -> Role.IDENTIFIER;
            case EMAIL -> Role.EMAIL;
            case PHONE -> Role.PHONE;
            case DOMAIN -> Role.WEBSITE;
            case NAME -> Role.ORGANISATION_NAME;
        };
        return exactKeys(role, Comparisons.comparable(role, stored.value(), phones));
    }

    // ---- decide

    /** Decides what {@code record} is, reading {@code index}; changes nothing. */
    public Decision decide(PreparedRecord record, MatchIndex index) {
        List<Match> exact = exactMatches(record, index);
        List<Match> fuzzy = exact.isEmpty() ? fuzzyMatches(record, index, Set.of()) : List.of();
        List<Match> joining = new ArrayList<>(exact);
        fuzzy.stream().filter(Match::joins).forEach(joining::add);
        joining.sort(STRONGEST_FIRST);
        if (joining.isEmpty()) {
            List<Match> possible =
                    fuzzy.stream().limit(POSSIBLE_DUPLICATES_REPORTED).toList();
            return new Decision(Optional.empty(), List.of(), possible);
        }
        return new Decision(Optional.of(joining.get(0)), joining.subList(1, joining.size()), List.of());
    }

    /**
     * The duplicate check (查重): every customer the record matches, strongest first, exact matches
     * (SAME) before fuzzy ones (LIKELY, POSSIBLE), each with its evidence. Same keys, same scores, same
     * thresholds as {@link #decide}; changes nothing.
     */
    public List<Match> check(Map<String, String> fields, MatchIndex index) {
        PreparedRecord record = prepare(fields);
        List<Match> exact = exactMatches(record, index);
        Set<String> exactIds = new HashSet<>();
        exact.forEach(match -> exactIds.add(match.customerId()));
        List<Match> all = new ArrayList<>(exact);
        all.addAll(fuzzyMatches(record, index, exactIds));
        all.sort(STRONGEST_FIRST);
        return List.copyOf(all);
    }

    /** {@link #check(Map, MatchIndex)} with the CRM fields. */
    public List<Match> check(LeadFields fields, MatchIndex index) {
        return check(fields.toMap(), index);
    }

    private List<Match> exactMatches(PreparedRecord record, MatchIndex index) {
        Map<String, List<Evidence>> evidence = new LinkedHashMap<>();
        Map<String, Integer> strength = new HashMap<>();
        for (SourcedKey key : record.keys()) {
            Optional<String> holder = index.holderOf(key.key()).map(id -> survivorOf(id, index));
            if (holder.isPresent()) {
                evidence.computeIfAbsent(holder.get(), id -> new ArrayList<>()).add(Evidence.exact(key));
                strength.merge(holder.get(), key.key().kind().strength(), Math::max);
            }
        }
        List<Match> matches = new ArrayList<>(evidence.size());
        evidence.forEach((customerId, reasons) ->
                matches.add(new Match(customerId, Match.Verdict.SAME, strength.get(customerId), 1.0, reasons)));
        return matches;
    }

    private List<Match> fuzzyMatches(PreparedRecord record, MatchIndex index, Set<String> excluded) {
        Map<String, Match> best = new HashMap<>();
        Set<String> seen = new HashSet<>();
        Map<String, String> survivors = new HashMap<>();
        Scorer scorer = new Scorer(record);
        for (String block : record.blocks()) {
            if (profile.blockStopUnits() && index.knownToHoldAtLeast(block, profile.blockLimit())) {
                continue;
            }
            List<MatchIndex.Filed> candidates = index.filedUnder(block, profile.blockLimit());
            if (profile.blockStopUnits() && candidates.size() >= profile.blockLimit()) {
                continue;
            }
            for (MatchIndex.Filed filed : candidates) {
                String customerId = survivors.computeIfAbsent(filed.customerId(), id -> survivorOf(id, index));
                if (!seen.add(customerId + '\u0000' + filed.fingerprint())) {
                    continue;
                }
                if (excluded.contains(customerId)) {
                    scorer.noteRegionsOnly(customerId, filed.fingerprint()); // its region still counts
                    continue;
                }
                scorer.score(customerId, filed.fingerprint())
                        .filter(match -> !best.containsKey(customerId)
                                || best.get(customerId).score() < match.score())
                        .ifPresent(match -> best.put(customerId, match));
            }
        }
        scorer.sameNameApartFromRegion().ifPresent(match -> best.put(match.customerId(), match));
        List<Match> matches = new ArrayList<>(best.values());
        matches.sort(STRONGEST_FIRST.thenComparing(Match::customerId));
        return matches;
    }

    /**
     * Scores one record against many candidates: the record's organisation names are taken apart once, not
     * once per candidate, and evidence is written only for candidates that score high enough to report.
     *
     * <p>It also collects the candidates whose organisation name is the record's apart from the regions
     * it starts with ({@code 星云科技} / {@code 上海星云科技}): if they are one customer and name at most one
     * region between them and the record, the record is that customer ({@link #sameNameApartFromRegion}).
     * The same trade name in two cities is two companies, so a second region makes the name ambiguous and
     * nothing joins; so does a credit code or switchboard of the record's own that puts it in another place
     * than the customer's region, or one of the customer's own (carried in its fingerprint) that puts the customer
     * in another place than the record's region ({@link RegionEvidence}).
     */
    private final class Scorer {

        static final String SAME_NAME_APART_FROM_REGION = "same-name-apart-from-region";

        private final PreparedRecord record;
        private final NameSimilarity.Profile[] names;
        private final Set<List<String>> regions = new HashSet<>();
        private final Map<String, Match> apartFromRegion = new LinkedHashMap<>();
        private RegionEvidence whereRecordIs;

        Scorer(PreparedRecord record) {
            this.record = record;
            this.names = new NameSimilarity.Profile[compared.size()];
        }

        /**
         * The one customer whose name is the record's apart from a region only one of them gives, with that
         * evidence; empty when there is none or the name is ambiguous (two customers, or two regions).
         */
        Optional<Match> sameNameApartFromRegion() {
            if (apartFromRegion.size() != 1 || regions.size() > 1 || apartFromRegion.containsValue(null)) {
                return Optional.empty();
            }
            return Optional.of(apartFromRegion.values().iterator().next());
        }

        /** Notes a candidate that is already an exact match: it makes the name ambiguous, never joins again. */
        void noteRegionsOnly(String customerId, String fingerprint) {
            List<String> theirs = Comparisons.splitFingerprint(fingerprint, compared.size());
            for (int i = 0; i < compared.size(); i++) {
                String mine = record.comparables().get(i);
                if (compared.get(i).role() == Role.ORGANISATION_NAME
                        && !mine.isEmpty()
                        && !theirs.get(i).isEmpty()) {
                    NameSimilarity.Profile candidate = Comparisons.nameProfile(theirs.get(i));
                    if (noteRegions(name(i, mine), candidate)) {
                        apartFromRegion.put(customerId, null);
                    }
                }
            }
        }

        /** Whether the two names are one apart from leading regions; notes the regions either gives. */
        private boolean noteRegions(NameSimilarity.Profile mine, NameSimilarity.Profile theirs) {
            String rest = mine.withoutLeadingRegions();
            if (rest.isEmpty() || !rest.equals(theirs.withoutLeadingRegions())) {
                return false;
            }
            if (!theirs.leadingRegions().isEmpty()) {
                regions.add(theirs.leadingRegions());
            }
            if (!mine.leadingRegions().isEmpty()) {
                regions.add(mine.leadingRegions());
            }
            return true;
        }

        private void considerApartFromRegion(
                String customerId,
                FieldRule rule,
                NameSimilarity.Profile mine,
                NameSimilarity.Profile theirs,
                String theirPlace,
                double similarity,
                String mineEncoded,
                String theirsEncoded) {
            if (!noteRegions(mine, theirs)) {
                return;
            }
            if (whereRecordIs == null) {
                whereRecordIs = RegionEvidence.of(record.keys());
            }
            if (theirs.leadingRegions().stream().anyMatch(whereRecordIs::contradicts)) {
                return;
            }
            if (!theirPlace.isEmpty()
                    && mine.leadingRegions().stream().anyMatch(RegionEvidence.decode(theirPlace)::contradicts)) {
                return;
            }
            apartFromRegion.computeIfAbsent(
                    customerId,
                    id -> new Match(
                            id,
                            Match.Verdict.LIKELY,
                            0,
                            similarity,
                            List.of(new Evidence(
                                    rule.role().name(),
                                    rule.field(),
                                    Comparisons.nameKey(mineEncoded) + " ~ " + Comparisons.nameKey(theirsEncoded),
                                    similarity,
                                    SAME_NAME_APART_FROM_REGION))));
        }

        Optional<Match> score(String customerId, String fingerprint) {
            List<String> theirs = Comparisons.splitFingerprint(fingerprint, compared.size());
            String place = theirs.size() > compared.size() ? theirs.get(compared.size()) : "";
            double score = 0;
            double[] similarities = new double[compared.size()];
            boolean[] scored = new boolean[compared.size()];
            for (int i = 0; i < compared.size(); i++) {
                String mine = record.comparables().get(i);
                String other = theirs.get(i);
                if (mine.isEmpty() || other.isEmpty()) {
                    continue;
                }
                FieldRule rule = compared.get(i);
                double similarity;
                if (rule.role() == Role.ORGANISATION_NAME) {
                    NameSimilarity.Profile candidate = Comparisons.nameProfile(other);
                    similarity = NameSimilarity.score(name(i, mine), candidate);
                    considerApartFromRegion(customerId, rule, name(i, mine), candidate, place, similarity, mine, other);
                } else {
                    similarity = Comparisons.similarity(rule.role(), mine, other);
                }
                similarities[i] = similarity;
                scored[i] = true;
                score += rule.weight() * similarity - rule.penalty() * (1 - similarity);
            }
            if (score < profile.reviewThreshold()) {
                return Optional.empty();
            }
            List<Evidence> evidence = new ArrayList<>();
            for (int i = 0; i < compared.size(); i++) {
                if (scored[i]) {
                    evidence.add(comparisonEvidence(
                            compared.get(i), record.comparables().get(i), theirs.get(i), similarities[i]));
                }
            }
            Match.Verdict verdict = score >= profile.joinThreshold() ? Match.Verdict.LIKELY : Match.Verdict.POSSIBLE;
            return Optional.of(new Match(customerId, verdict, 0, score, evidence));
        }

        private NameSimilarity.Profile name(int field, String encoded) {
            if (names[field] == null) {
                names[field] = new NameSimilarity.Profile(Comparisons.decode(encoded));
            }
            return names[field];
        }
    }

    private static Evidence comparisonEvidence(FieldRule rule, String mine, String theirs, double similarity) {
        boolean name = rule.role() == Role.ORGANISATION_NAME;
        String value = name ? Comparisons.nameKey(mine) + " ~ " + Comparisons.nameKey(theirs) : mine + " ~ " + theirs;
        return new Evidence(
                rule.role().name(),
                rule.field(),
                value,
                similarity,
                "similar-" + rule.field().toLowerCase(Locale.ROOT));
    }

    /** The customer {@code customerId} lives on in after the merges {@code index} records (itself if none). */
    public static String survivorOf(String customerId, MatchIndex index) {
        String current = customerId;
        for (int hop = 0; hop < MAX_MERGE_HOPS; hop++) {
            Optional<String> next = index.mergedInto(current);
            if (next.isEmpty()) {
                return current;
            }
            current = next.get();
        }
        throw new IllegalStateException("merge chain of " + customerId + " is longer than " + MAX_MERGE_HOPS);
    }

    // ---- maintain

    /**
     * Makes {@code record} findable as {@code customerId}: its keys that nobody holds point at the
     * customer (a key held by another customer stays there until an explicit merge), and the customer is
     * filed under the record's blocking keys with the record's fingerprint.
     */
    public void remember(PreparedRecord record, String customerId, WritableMatchIndex index) {
        for (SourcedKey key : record.keys()) {
            if (index.holderOf(key.key()).isEmpty()) {
                index.assign(key.key(), customerId);
            }
        }
        for (String block : record.blocks()) {
            index.file(block, customerId, record.fingerprint());
        }
    }

    /**
     * Merges {@code mergedId} into {@code survivorId}: each of {@code mergedKeys} held by the merged
     * customer (or by nobody) now points at the survivor, and blocking entries of the merged customer
     * resolve to the survivor.
     */
    public void merge(String survivorId, String mergedId, Collection<MatchKey> mergedKeys, WritableMatchIndex index) {
        if (survivorId.equals(mergedId)) {
            throw new IllegalArgumentException("a customer cannot be merged into itself");
        }
        for (MatchKey key : mergedKeys) {
            Optional<String> holder = index.holderOf(key);
            if (holder.isEmpty() || holder.get().equals(mergedId)) {
                index.assign(key, survivorId);
            }
        }
        index.recordMerge(mergedId, survivorId);
    }
}
