package io.leadflow.api.funnel;

import io.leadflow.api.auth.ViewerFilter;
import io.leadflow.api.web.ProblemFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes of the funnel queries. */
@Configuration(proxyBeanMethods = false)
class FunnelRouter {

    @Bean
    RouterFunction<ServerResponse> funnelRoutes(FunnelHandler handler, ViewerFilter viewers, ProblemFilter problems) {
        return RouterFunctions.route()
                .GET("/api/v1/funnel", handler::snapshot)
                .GET("/api/v1/funnel/cohorts", handler::cohorts)
                .filter(problems)
                .filter(viewers)
                .build();
    }
}
