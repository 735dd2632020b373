package io.leadflow.api;

import io.leadflow.schemas.AvroTrust;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The api: serves the PostgreSQL projection of the processor's output to REST clients and dashboards.
 * It never changes customer state itself; the processor is its single writer.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ApiApplication {

    /** Name of the configuration file ({@code api.yml}). */
    public static final String CONFIG_NAME = "api";

    /**
     * An argument for the other services (ingest, processor) when they share a JVM and a classpath with the api
     * (standalone, benchmarks): they use no database and no Spring Security (ingest checks its own API keys), but
     * the api's auto-configuration would otherwise switch on in their contexts too (and, for instance, refuse
     * every POST without a CSRF token).
     */
    public static final String NOT_IN_OTHER_SERVICES = "--spring.autoconfigure.exclude="
            + String.join(
                    ",",
                    "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
                    "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
                    "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
                    "org.springframework.boot.security.autoconfigure.actuate.web.reactive"
                            + ".ReactiveManagementWebSecurityAutoConfiguration",
                    "org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive"
                            + ".ReactiveOAuth2ResourceServerAutoConfiguration",
                    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                    "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
                    "org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcAutoConfiguration",
                    "org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcRepositoriesAutoConfiguration",
                    "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");

    public static void main(String[] args) {
        application().run(args);
    }

    public static SpringApplicationBuilder application() {
        AvroTrust.trustGeneratedClasses();
        return new SpringApplicationBuilder(ApiApplication.class).properties("spring.config.name=" + CONFIG_NAME);
    }
}
