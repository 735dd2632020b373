package io.leadflow.ingest.imports;

import io.leadflow.ingest.auth.ApiKeyFilter;
import io.leadflow.ingest.auth.Permission;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes of the CSV imports; every one requires an API key allowed to import, and shows only its tenant's jobs. */
@Configuration(proxyBeanMethods = false)
class ImportRouter {

    @Bean
    RouterFunction<ServerResponse> importRoutes(ImportHandler handler, ApiKeyFilter apiKeys) {
        return RouterFunctions.route()
                .POST(ImportHandler.PATH, handler::create)
                .GET(ImportHandler.PATH + "/{id}", handler::progress)
                .GET(ImportHandler.PATH + "/{id}/events", handler::events)
                .filter(apiKeys.requiring(Permission.IMPORTS))
                .build();
    }
}
