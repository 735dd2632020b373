package io.leadflow.api.command;

import io.leadflow.api.auth.Viewer;
import io.leadflow.api.auth.ViewerFilter;
import io.leadflow.api.rules.RulesDocument;
import io.leadflow.api.rules.TenantRulesService;
import io.leadflow.api.web.BadParameter;
import io.leadflow.api.web.Problems;
import io.leadflow.avro.AssignmentStrategy;
import io.leadflow.avro.TenantRules;
import io.leadflow.schemas.Topics;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and sets a tenant's pool rules, pools and funnel stages. Only an admin sets them; they go to the
 * tenant-rules topic with the next version (the processor applies them, deadlines included, to existing
 * assignments) and the answer is the rules as sent, once Kafka acknowledged them.
 */
@Component
class TenantRulesHandler {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TenantRulesService rules;
    private final KafkaPublisher publisher;
    private final Clock clock = Clock.systemUTC();

    TenantRulesHandler(TenantRulesService rules, KafkaPublisher publisher) {
        this.rules = rules;
        this.publisher = publisher;
    }

    Mono<ServerResponse> get(ServerRequest request) {
        return rules.of(ViewerFilter.viewer(request).tenant())
                .flatMap(document -> ServerResponse.ok().bodyValue(document));
    }

    Mono<ServerResponse> put(ServerRequest request) {
        Viewer viewer = ViewerFilter.viewer(request);
        if (!viewer.isAdmin()) {
            return Problems.forbidden("only admins set tenant rules");
        }
        return request.bodyToMono(RulesDocument.class)
                .switchIfEmpty(Mono.error(() -> BadParameter.field("body", "is required")))
                .map(TenantRulesHandler::validated)
                .zipWith(rules.of(viewer.tenant()))
                .flatMap(input -> {
                    TenantRules next = input.getT1()
                            .toAvro(viewer.tenant(), input.getT2().version() + 1, clock.instant(), viewer.user());
                    return publisher
                            .send(Topics.TENANT_RULES, viewer.tenant(), next)
                            .then(ServerResponse.ok().bodyValue(RulesDocument.of(next)))
                            .onErrorResume(
                                    e -> !(e instanceof BadParameter),
                                    e -> Problems.unavailable("Kafka did not take the rules: " + e.getMessage()));
                });
    }

    static RulesDocument validated(RulesDocument rules) {
        if (rules.pools().isEmpty()) {
            throw BadParameter.field("pools", "must name at least one public pool");
        }
        Set<String> poolIds = new HashSet<>();
        long defaults = 0;
        for (RulesDocument.Pool pool : rules.pools()) {
            if (pool.poolId().isBlank() || !poolIds.add(pool.poolId())) {
                throw BadParameter.field("pools", "need distinct, non-blank poolIds");
            }
            defaults += pool.isDefault() ? 1 : 0;
        }
        if (defaults > 1) {
            throw BadParameter.field("pools", "may have at most one default pool");
        }
        Set<String> stages = new HashSet<>();
        for (RulesDocument.Stage stage : rules.stages()) {
            if (stage.name() == null || stage.name().isBlank() || !stages.add(stage.name())) {
                throw BadParameter.field("stages", "need distinct, non-blank names");
            }
            if (stage.winProbability() < 0 || stage.winProbability() > 1) {
                throw BadParameter.field("stages", "winProbability must be from 0 to 1");
            }
        }
        try {
            AssignmentStrategy.valueOf(rules.assignmentStrategy());
        } catch (IllegalArgumentException e) {
            throw BadParameter.field("assignmentStrategy", "must be PUBLIC_POOL or ROUND_ROBIN");
        }
        try {
            ZoneId.of(rules.timeZone());
        } catch (DateTimeException e) {
            throw BadParameter.field("timeZone", "must be an IANA time zone such as Asia/Shanghai");
        }
        if (!rules.defaultRegion().matches("[A-Z]{2}")) {
            throw BadParameter.field("defaultRegion", "must be an ISO 3166 region such as CN");
        }
        refuseControlCharacters(JSON.valueToTree(rules), "");
        return rules;
    }

    /**
     * Rules are projected into a {@code jsonb} column, which cannot hold NUL: published anyway, they would stop
     * the projection of every tenant. No name, team or stage needs a control character, so all are refused.
     */
    private static void refuseControlCharacters(JsonNode node, String path) {
        if (node.isString() && node.asString().chars().anyMatch(Character::isISOControl)) {
            throw BadParameter.field(path, "must not contain control characters");
        }
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            refuseControlCharacters(
                    property.getValue(), path.isEmpty() ? property.getKey() : path + "." + property.getKey());
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refuseControlCharacters(node.get(i), path + "[" + i + "]");
            }
        }
    }
}
