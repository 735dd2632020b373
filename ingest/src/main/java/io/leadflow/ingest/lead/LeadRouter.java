package io.leadflow.ingest.lead;

import io.leadflow.ingest.auth.ApiKeyAuthenticator;
import io.leadflow.ingest.auth.Caller;
import io.leadflow.ingest.web.Problems;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes of the lead endpoints; every one requires an API key, which also fixes the lead's tenant. */
@Configuration(proxyBeanMethods = false)
class LeadRouter {

    private static final String CALLER = LeadRouter.class.getName() + ".caller";

    @Bean
    RouterFunction<ServerResponse> leadRoutes(LeadHandler handler, ApiKeyAuthenticator authenticator) {
        return RouterFunctions.route()
                .POST("/ingest/v1/leads", handler::submit)
                .filter((request, next) -> authenticator
                        .authenticate(request)
                        .map(caller -> {
                            request.attributes().put(CALLER, caller);
                            return next.handle(request);
                        })
                        .orElseGet(Problems::unauthenticated))
                .build();
    }

    static Caller caller(ServerRequest request) {
        return (Caller) request.attribute(CALLER).orElseThrow();
    }
}
