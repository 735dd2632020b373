package io.leadflow.api.stream;

import io.leadflow.api.auth.ViewerFilter;
import io.leadflow.api.web.ProblemFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes of the live streams (text/event-stream); all require a bearer token. */
@Configuration(proxyBeanMethods = false)
class StreamRouter {

    @Bean
    RouterFunction<ServerResponse> streamRoutes(StreamHandler handler, ViewerFilter viewers, ProblemFilter problems) {
        return RouterFunctions.route()
                .GET("/api/v1/streams/funnel", handler::funnel)
                .GET("/api/v1/streams/my-events", handler::myEvents)
                .GET("/api/v1/streams/pools/{poolId}", handler::pool)
                .filter(problems)
                .filter(viewers)
                .build();
    }
}
