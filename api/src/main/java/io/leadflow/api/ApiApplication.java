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

    public static void main(String[] args) {
        application().run(args);
    }

    public static SpringApplicationBuilder application() {
        AvroTrust.trustGeneratedClasses();
        return new SpringApplicationBuilder(ApiApplication.class).properties("spring.config.name=" + CONFIG_NAME);
    }
}
