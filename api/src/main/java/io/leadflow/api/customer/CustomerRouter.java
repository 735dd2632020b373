package io.leadflow.api.customer;

import io.leadflow.api.auth.ViewerFilter;
import io.leadflow.api.web.ProblemFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes of the customer queries; all require a bearer token. */
@Configuration(proxyBeanMethods = false)
class CustomerRouter {

    @Bean
    RouterFunction<ServerResponse> customerRoutes(
            CustomerHandler handler, ViewerFilter viewers, ProblemFilter problems) {
        return RouterFunctions.route()
                .GET("/api/v1/customers/{id}/history", handler::history)
                .GET("/api/v1/customers/{id}", handler::byId)
                .GET("/api/v1/customers", handler::list)
                .filter(problems)
                .filter(viewers)
                .build();
    }
}
