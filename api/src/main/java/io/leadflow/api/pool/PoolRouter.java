package io.leadflow.api.pool;

import io.leadflow.api.auth.ViewerFilter;
import io.leadflow.api.web.ProblemFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes of the pool queries. */
@Configuration(proxyBeanMethods = false)
class PoolRouter {

    @Bean
    RouterFunction<ServerResponse> poolRoutes(PoolHandler handler, ViewerFilter viewers, ProblemFilter problems) {
        return RouterFunctions.route()
                .GET("/api/v1/pools", handler::publicPools)
                .GET("/api/v1/pools/{poolId}/customers", handler::publicPoolCustomers)
                .GET("/api/v1/private-pool", handler::myPrivatePool)
                .GET("/api/v1/private-pools/{owner}", handler::privatePoolOf)
                .GET("/api/v1/owners/{user}/figures", handler::ownerFigures)
                .filter(problems)
                .filter(viewers)
                .build();
    }
}
