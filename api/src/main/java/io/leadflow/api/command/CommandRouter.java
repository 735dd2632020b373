package io.leadflow.api.command;

import io.leadflow.api.auth.ViewerFilter;
import io.leadflow.api.web.ProblemFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes of the commands, follow-ups and tenant rules. */
@Configuration(proxyBeanMethods = false)
class CommandRouter {

    @Bean
    RouterFunction<ServerResponse> commandRoutes(
            CommandHandler commands, TenantRulesHandler tenantRules, ViewerFilter viewers, ProblemFilter problems) {
        return RouterFunctions.route()
                .POST("/api/v1/customers/{id}/claim", commands::claim)
                .POST("/api/v1/customers/{id}/release", commands::release)
                .POST("/api/v1/customers/{id}/assign", commands::assign)
                .POST("/api/v1/customers/{id}/transfer", commands::transfer)
                .POST("/api/v1/customers/{id}/lock", commands::lock)
                .POST("/api/v1/customers/{id}/unlock", commands::unlock)
                .POST("/api/v1/customers/{id}/follow-ups", commands::followUp)
                .POST("/api/v1/merges", commands::merge)
                .GET("/api/v1/commands/{commandId}", commands::outcome)
                .GET("/api/v1/tenant-rules", tenantRules::get)
                .PUT("/api/v1/tenant-rules", tenantRules::put)
                .filter(problems)
                .filter(viewers)
                .build();
    }
}
