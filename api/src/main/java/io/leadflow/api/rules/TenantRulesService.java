package io.leadflow.api.rules;

import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** A tenant's current rules: the projected ones, else the defaults. */
@Service
public class TenantRulesService {

    private final TenantRulesRepository repository;

    TenantRulesService(TenantRulesRepository repository) {
        this.repository = repository;
    }

    public Mono<RulesDocument> of(String tenant) {
        return repository.find(tenant).defaultIfEmpty(RulesDocument.defaults(tenant));
    }
}
