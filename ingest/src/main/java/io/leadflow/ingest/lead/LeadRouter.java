package io.leadflow.ingest.lead;

import io.leadflow.ingest.auth.ApiKeyFilter;
import io.leadflow.ingest.auth.Permission;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes of the lead endpoints; every one requires an API key allowed to send leads, which fixes the tenant. */
@Configuration(proxyBeanMethods = false)
class LeadRouter {

    @Bean
    RouterFunction<ServerResponse> leadRoutes(LeadHandler handler, ApiKeyFilter apiKeys) {
        return RouterFunctions.route()
                .POST("/ingest/v1/leads", handler::submit)
                .POST("/ingest/v1/leads/batch", handler::batch)
                .POST("/ingest/v1/leads/stream", handler::stream)
                .filter(apiKeys.requiring(Permission.LEADS))
                .build();
    }
}
