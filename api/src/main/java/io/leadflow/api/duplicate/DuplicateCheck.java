package io.leadflow.api.duplicate;

import io.leadflow.api.rules.Visibility;
import io.leadflow.matching.CompanyNameNormalizer;
import io.leadflow.matching.KeyKind;
import io.leadflow.matching.LeadFields;
import io.leadflow.matching.MatchKeyExtractor;
import io.leadflow.matching.MatchKeys;
import io.leadflow.matching.NameSimilarity;
import io.leadflow.matching.NormalizedName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * 查重: normalises the input with the same {@code matching} rules as the processor, finds customers holding an
 * equal key (credit code, e-mail, phone, domain, normalised name) or a similar name (score at least {@link
 * NameSimilarity#POSSIBLE_DUPLICATE}), and answers each with owner, pool and evidence. Contact data is masked
 * unless the caller may see the customer. Blank input never matches.
 */
@Component
class DuplicateCheck {

    private static final int NAME_TOKENS = 3;

    private final DuplicateRepository repository;
    private final CompanyNameNormalizer names = new CompanyNameNormalizer();
    private final Map<String, MatchKeyExtractor> extractorsByRegion = new ConcurrentHashMap<>();

    DuplicateCheck(DuplicateRepository repository) {
        this.repository = repository;
        // Load the dictionaries now, not on a parallel thread in the middle of the first request.
        names.normalize("上海星云科技有限公司");
    }

    Mono<DuplicateViews.CheckResult> check(Visibility visibility, String region, DuplicateViews.CheckRequest request) {
        // Normalisation is CPU work (dictionaries, libphonenumber): off the event loop, on the CPU-bound
        // scheduler; Reactor's shared boundedElastic is for blocking calls, which can hold all its threads.
        return Mono.fromCallable(() -> extractor(region)
                        .extract(new LeadFields(
                                request.name(),
                                request.creditCode(),
                                request.email(),
                                request.phone(),
                                null,
                                request.website())))
                .subscribeOn(Schedulers.parallel())
                .flatMap(keys -> lookup(visibility, keys));
    }

    private Mono<DuplicateViews.CheckResult> lookup(Visibility visibility, MatchKeys keys) {
        String tenant = visibility.viewer().tenant();
        Flux<Hit> exact = Flux.fromIterable(keys.keys())
                .concatMap(key -> repository
                        .byKey(tenant, key.kind().name(), key.value())
                        .map(candidate -> new Hit(
                                candidate,
                                new DuplicateViews.Evidence(key.kind().name(), key.value(), 1.0, "exact-key"),
                                key.kind().strength() * 10.0)));
        Flux<Hit> similar = similarNames(tenant, keys.name());
        return Flux.concat(exact, similar).collectList().map(hits -> {
            Map<String, List<Hit>> byCustomer = new LinkedHashMap<>();
            for (Hit hit : hits) {
                byCustomer
                        .computeIfAbsent(hit.candidate().customerId(), id -> new ArrayList<>())
                        .add(hit);
            }
            List<DuplicateViews.Match> matches = byCustomer.values().stream()
                    .sorted(Comparator.comparingDouble(DuplicateCheck::rank).reversed())
                    .map(group -> match(visibility, group))
                    .toList();
            return new DuplicateViews.CheckResult(
                    keys.keys().stream()
                            .map(key -> new DuplicateViews.Key(key.kind().name(), key.value()))
                            .toList(),
                    matches);
        });
    }

    private Flux<Hit> similarNames(String tenant, NormalizedName name) {
        if (!name.hasCore()) {
            return Flux.empty();
        }
        List<String> tokens = name.distinctiveTokens().stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .limit(NAME_TOKENS)
                .toList();
        return Flux.fromIterable(tokens)
                .concatMap(token -> repository.byNameToken(tenant, token))
                .distinct(DuplicateRepository.Candidate::customerId)
                .publishOn(Schedulers.parallel())
                .flatMap(candidate -> {
                    double score = NameSimilarity.score(name, names.normalize(candidate.companyName()));
                    return score >= NameSimilarity.POSSIBLE_DUPLICATE && score < 1.0
                            ? Flux.just(new Hit(
                                    candidate,
                                    new DuplicateViews.Evidence(KeyKind.NAME.name(), name.key(), score, "similar-name"),
                                    score))
                            : Flux.empty();
                });
    }

    private static double rank(List<Hit> hits) {
        return hits.stream().mapToDouble(Hit::rank).max().orElse(0);
    }

    private static DuplicateViews.Match match(Visibility visibility, List<Hit> hits) {
        DuplicateRepository.Candidate customer = hits.get(0).candidate();
        boolean masked = !visibility.canSee(customer.owner(), customer.team(), customer.poolId());
        List<DuplicateViews.Contact> contacts = masked
                ? customer.contacts().stream()
                        .map(contact -> new DuplicateViews.Contact(
                                Masking.name(contact.name()),
                                contact.title(),
                                Masking.phone(contact.phone()),
                                Masking.phone(contact.mobile()),
                                Masking.email(contact.email())))
                        .toList()
                : customer.contacts();
        return new DuplicateViews.Match(
                customer.customerId(),
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
                hits.stream().map(Hit::evidence).distinct().toList());
    }

    private MatchKeyExtractor extractor(String region) {
        return extractorsByRegion.computeIfAbsent(region, MatchKeyExtractor::new);
    }

    private record Hit(DuplicateRepository.Candidate candidate, DuplicateViews.Evidence evidence, double rank) {}
}
