package io.leadflow.api.duplicate;

import io.leadflow.api.auth.Viewer;
import io.leadflow.api.auth.ViewerFilter;
import io.leadflow.api.rules.TenantRulesService;
import io.leadflow.api.rules.Visibility;
import io.leadflow.api.web.BadParameter;
import io.leadflow.api.web.Params;
import io.leadflow.avro.IdentityEventType;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * 查重 and the identity findings to review. A finding is shown to the salesperson it concerns (holder or
 * intended owner) and to whoever may see its customer.
 */
@Component
class DuplicateHandler {

    static final int MAX_FIELD_LENGTH = 300;

    private final DuplicateCheck check;
    private final DuplicateRepository repository;
    private final TenantRulesService rules;

    DuplicateHandler(DuplicateCheck check, DuplicateRepository repository, TenantRulesService rules) {
        this.check = check;
        this.repository = repository;
        this.rules = rules;
    }

    Mono<ServerResponse> check(ServerRequest request) {
        Viewer viewer = ViewerFilter.viewer(request);
        return request.bodyToMono(DuplicateViews.CheckRequest.class)
                .switchIfEmpty(Mono.error(() -> BadParameter.field("name", "or another field is required")))
                .map(DuplicateHandler::validated)
                .zipWith(rules.of(viewer.tenant()))
                .flatMap(input -> check.check(Visibility.of(viewer, input.getT2()), input.getT1()))
                .flatMap(result -> ServerResponse.ok().bodyValue(result));
    }

    Mono<ServerResponse> findings(ServerRequest request) {
        Params.Paging paging = Params.paging(request);
        String type = Params.choice(request, "type", IdentityEventType.class)
                .map(Enum::name)
                .orElse(null);
        return page(request, type, false, paging);
    }

    Mono<ServerResponse> mergeSuggestions(ServerRequest request) {
        return page(request, IdentityEventType.MERGE_SUGGESTION.name(), true, Params.paging(request));
    }

    private Mono<ServerResponse> page(ServerRequest request, String type, boolean open, Params.Paging paging) {
        Viewer viewer = ViewerFilter.viewer(request);
        return rules.of(viewer.tenant())
                .flatMap(document ->
                        repository.findings(Visibility.of(viewer, document), type, open, paging.page(), paging.size()))
                .flatMap(items -> ServerResponse.ok()
                        .bodyValue(new DuplicateViews.FindingPage(items, paging.page(), paging.size())));
    }

    private static DuplicateViews.CheckRequest validated(DuplicateViews.CheckRequest request) {
        record Field(String name, String value) {}
        boolean any = false;
        for (Field field : Stream.of(
                        new Field("name", request.name()),
                        new Field("phone", request.phone()),
                        new Field("email", request.email()),
                        new Field("creditCode", request.creditCode()),
                        new Field("website", request.website()))
                .toList()) {
            if (field.value() != null && field.value().length() > MAX_FIELD_LENGTH) {
                throw BadParameter.field(field.name(), "must be at most " + MAX_FIELD_LENGTH + " characters");
            }
            any |= field.value() != null && !field.value().isBlank();
        }
        if (!any) {
            throw BadParameter.field("name", "or another of phone, email, creditCode, website is required");
        }
        return request;
    }
}
