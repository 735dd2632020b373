package io.leadflow.api.duplicate;

import io.leadflow.api.rules.Visibility;
import io.leadflow.matching.Evidence;
import io.leadflow.matching.LeadFields;
import io.leadflow.matching.Match;
import io.leadflow.matching.MatchEngine;
import io.leadflow.matching.MatchIndex;
import io.leadflow.matching.MatchKey;
import io.leadflow.matching.PreparedRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * 查重 decided by the matching engine the processor resolves leads with ({@link MatchEngine#check}): same keys,
 * same blocking, same scores and thresholds. The engine reads a {@link MatchIndex}; here it is what PostgreSQL
 * holds for the request's keys and blocking keys, fetched first in two statements (the engine's index is
 * synchronous, the database is not). Each match comes with its verdict (SAME for a shared key, POSSIBLE for a
 * similar name), owner, pool and evidence; contact data is masked unless the caller may see the customer. Blank
 * input never matches.
 */
@Component
class DuplicateCheck {

    private final MatchEngine engine = MatchFiling.ENGINE;
    private final DuplicateRepository repository;

    DuplicateCheck(DuplicateRepository repository) {
        this.repository = repository;
        // Load the dictionaries now, not on a parallel thread in the middle of the first request.
        engine.prepare(LeadFields.ofName("上海星云科技有限公司").toMap());
    }

    Mono<DuplicateViews.CheckResult> check(Visibility visibility, DuplicateViews.CheckRequest request) {
        String tenant = visibility.viewer().tenant();
        Map<String, String> fields = new LeadFields(
                        request.name(), request.creditCode(), request.email(), request.phone(), null, request.website())
                .toMap();
        // Normalisation is CPU work: off the event loop, on the CPU-bound scheduler (not on boundedElastic,
        // whose threads blocking code elsewhere can hold).
        return Mono.fromCallable(() -> engine.prepare(fields))
                .subscribeOn(Schedulers.parallel())
                .flatMap(record -> Mono.zip(
                                repository.holders(tenant, record.matchKeys()),
                                repository.filed(
                                        tenant,
                                        record.blocks(),
                                        engine.profile().blockLimit(),
                                        engine.profile().blockStopUnits()))
                        .publishOn(Schedulers.parallel())
                        .map(found -> decide(visibility, fields, record, found.getT1(), found.getT2())));
    }

    private DuplicateViews.CheckResult decide(
            Visibility visibility,
            Map<String, String> fields,
            PreparedRecord record,
            List<DuplicateRepository.Found> holders,
            DuplicateRepository.Filing filed) {
        Map<String, DuplicateRepository.Candidate> candidates = new HashMap<>();
        holders.forEach(found -> candidates.put(found.candidate().customerId(), found.candidate()));
        filed.filed().forEach(found -> candidates.put(found.candidate().customerId(), found.candidate()));
        List<Match> matches = engine.check(fields, new FetchedIndex(holders, filed));
        return new DuplicateViews.CheckResult(
                record.matchKeys().stream()
                        .map(key -> new DuplicateViews.Key(key.kind().name(), key.value()))
                        .toList(),
                matches.stream()
                        .map(match -> view(visibility, candidates.get(match.customerId()), match))
                        .toList());
    }

    private DuplicateViews.Match view(Visibility visibility, DuplicateRepository.Candidate customer, Match match) {
        boolean masked = !visibility.canSee(customer.owner(), customer.team(), customer.poolId());
        List<DuplicateViews.Contact> unmasked = repository.contacts(customer);
        List<DuplicateViews.Contact> contacts = masked
                ? unmasked.stream()
                        .map(contact -> new DuplicateViews.Contact(
                                Masking.name(contact.name()),
                                contact.title(),
                                Masking.phone(contact.phone()),
                                Masking.phone(contact.mobile()),
                                Masking.email(contact.email())))
                        .toList()
                : unmasked;
        return new DuplicateViews.Match(
                customer.customerId(),
                match.verdict().name(),
                match.score(),
                customer.companyName(),
                masked && customer.creditCode() != null
                        ? Masking.key("CREDIT_CODE", customer.creditCode())
                        : customer.creditCode(),
                customer.website(),
                customer.owner(),
                customer.team(),
                customer.poolId(),
                customer.stage(),
                masked,
                contacts,
                match.evidence().stream().map(DuplicateCheck::evidence).toList());
    }

    private static DuplicateViews.Evidence evidence(Evidence evidence) {
        return new DuplicateViews.Evidence(
                evidence.kind(), evidence.field(), evidence.value(), evidence.score(), evidence.rule());
    }

    /** The part of the engine's index a check reads, as fetched for its keys and blocking keys. */
    private final class FetchedIndex implements MatchIndex {

        private final Map<String, String> holders = new HashMap<>();
        private final Map<String, List<Filed>> filed = new HashMap<>();
        private final Set<String> fullBlocks;

        FetchedIndex(List<DuplicateRepository.Found> holders, DuplicateRepository.Filing filing) {
            holders.forEach(
                    found -> this.holders.put(found.by(), found.candidate().customerId()));
            this.fullBlocks = filing.fullBlocks();
            for (DuplicateRepository.Found found : filing.filed()) {
                String fingerprint = found.candidate().fingerprint();
                if (fingerprint != null) {
                    this.filed
                            .computeIfAbsent(found.by(), block -> new ArrayList<>())
                            .add(new Filed(found.candidate().customerId(), fingerprint));
                }
            }
        }

        @Override
        public Optional<String> holderOf(MatchKey key) {
            return Optional.ofNullable(holders.get(repository.keyValue(key)));
        }

        @Override
        public List<Filed> filedUnder(String block, int limit) {
            List<Filed> entries = filed.getOrDefault(block, List.of());
            return entries.size() <= limit ? entries : entries.subList(0, limit);
        }

        @Override
        public boolean knownToHoldAtLeast(String block, int count) {
            return count <= engine.profile().blockLimit() && fullBlocks.contains(block);
        }

        /** Merged-away customers leave the projection (their tombstone deletes the row): no redirects. */
        @Override
        public Optional<String> mergedInto(String customerId) {
            return Optional.empty();
        }
    }
}
