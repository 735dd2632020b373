package io.leadflow.ingest.activity;

import io.leadflow.ingest.auth.ApiKeyFilter;
import io.leadflow.ingest.auth.Permission;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes of the activity endpoints; every one requires an API key allowed to send activities. */
@Configuration(proxyBeanMethods = false)
class ActivityRouter {

    @Bean
    RouterFunction<ServerResponse> activityRoutes(ActivityHandler handler, ApiKeyFilter apiKeys) {
        return RouterFunctions.route()
                .POST("/ingest/v1/activities", handler::submit)
                .POST("/ingest/v1/activities/batch", handler::batch)
                .filter(apiKeys.requiring(Permission.ACTIVITIES))
                .build();
    }
}
