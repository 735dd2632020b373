package io.leadflow.api;

import io.leadflow.api.auth.TokenProperties;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the api.
 *
 * @param tokens bearer tokens of REST clients, each bound to a tenant and a user
 * @param projection how the processor's topics are read into PostgreSQL
 */
@ConfigurationProperties("leadflow.api")
public record ApiProperties(
        @DefaultValue List<TokenProperties> tokens,
        @DefaultValue Projection projection) {

    /**
     * @param groupId the consumer group of the projection (shared by all api instances)
     * @param pollTimeout how long one poll of the topics waits for records
     */
    public record Projection(
            @DefaultValue("leadflow-api-projection") String groupId,
            @DefaultValue("200ms") Duration pollTimeout) {}
}
