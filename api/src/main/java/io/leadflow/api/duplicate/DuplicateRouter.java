package io.leadflow.api.duplicate;

import io.leadflow.api.auth.ViewerFilter;
import io.leadflow.api.web.ProblemFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes of 查重 and the identity findings. */
@Configuration(proxyBeanMethods = false)
class DuplicateRouter {

    @Bean
    RouterFunction<ServerResponse> duplicateRoutes(
            DuplicateHandler handler, ViewerFilter viewers, ProblemFilter problems) {
        return RouterFunctions.route()
                .POST("/api/v1/duplicate-checks", handler::check)
                .GET("/api/v1/identity-events", handler::findings)
                .GET("/api/v1/merge-suggestions", handler::mergeSuggestions)
                .filter(problems)
                .filter(viewers)
                .build();
    }
}
