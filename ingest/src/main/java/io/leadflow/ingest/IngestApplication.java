package io.leadflow.ingest;

import io.leadflow.schemas.AvroTrust;
import java.time.Clock;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * The ingest service: the front door through which upstream marketing systems push leads. It
 * answers only after the broker has acknowledged a lead, so an accepted lead is never lost.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IngestApplication {

    /** Name of the configuration file ({@code ingest.yml}), distinct per service so all three can share one JVM. */
    public static final String CONFIG_NAME = "ingest";

    public static void main(String[] args) {
        application().run(args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    public static SpringApplicationBuilder application() {
        AvroTrust.trustGeneratedClasses();
        return new SpringApplicationBuilder(IngestApplication.class).properties("spring.config.name=" + CONFIG_NAME);
    }
}
