package io.leadflow.processor;

import io.leadflow.schemas.AvroTrust;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The processor: the Kafka Streams application that owns all customer state (exactly-once). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ProcessorApplication {

    /** Name of the configuration file ({@code processor.yml}). */
    public static final String CONFIG_NAME = "processor";

    public static void main(String[] args) {
        application().run(args);
    }

    public static SpringApplicationBuilder application() {
        AvroTrust.trustGeneratedClasses();
        return new SpringApplicationBuilder(ProcessorApplication.class).properties("spring.config.name=" + CONFIG_NAME);
    }
}
