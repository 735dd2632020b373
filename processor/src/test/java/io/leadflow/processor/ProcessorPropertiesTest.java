package io.leadflow.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadflow.avro.FunnelDimension;
import io.leadflow.processor.funnel.FunnelSettings;
import io.leadflow.processor.state.StoreBacking;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class ProcessorPropertiesTest {

    @Test
    void theFunnelIsTunedByDefaultAsFunnelSettingsDefaults() {
        FunnelSettings settings = bind(Map.of()).funnel().settings();

        assertThat(settings).isEqualTo(FunnelSettings.DEFAULTS);
        assertThat(settings.cohortDimensions())
                .containsExactly(FunnelDimension.TENANT, FunnelDimension.SOURCE, FunnelDimension.CAMPAIGN);
    }

    @Test
    void theEmitIntervalsAndTheCohortDimensionsAreSettings() {
        FunnelSettings settings = bind(Map.of(
                        "leadflow.processor.funnel.emit-interval", "1s",
                        "leadflow.processor.funnel.cohort-emit-interval", "3s",
                        "leadflow.processor.funnel.cohort-dimensions", "TENANT,TEAM,OWNER,SOURCE,CAMPAIGN"))
                .funnel()
                .settings();

        assertThat(settings.emitInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.cohortEmitInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.cohortDimensions()).isEqualTo(EnumSet.allOf(FunnelDimension.class));
        assertThat(settings.rulesCheckInterval()).isEqualTo(FunnelSettings.DEFAULTS.rulesCheckInterval());
    }

    @Test
    void theFiguresKeptInMemoryAreASetting() {
        FunnelSettings settings = bind(Map.of("leadflow.processor.funnel.figures-kept", "1000"))
                .funnel()
                .settings();

        assertThat(settings.figuresKept()).isEqualTo(1000);
        assertThat(FunnelSettings.DEFAULTS.figuresKept()).isEqualTo(FunnelSettings.DEFAULT_FIGURES_KEPT);
        assertThatThrownBy(() -> FunnelSettings.DEFAULTS.withFiguresKept(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("figuresKept");
    }

    @Test
    void anUnknownDimensionIsRefusedAtStart() {
        assertThatThrownBy(() -> bind(Map.of("leadflow.processor.funnel.cohort-dimensions", "TENANT,REGION")))
                .isInstanceOf(BindException.class)
                .hasMessageContaining("leadflow.processor.funnel.cohort-dimensions");
    }

    @Test
    void identityKeepsItsStoresInRocksDbUnlessToldToKeepThemInMemory() {
        assertThat(bind(Map.of()).identity().stores()).isEqualTo(StoreBacking.ROCKSDB);
        assertThat(bind(Map.of("leadflow.processor.identity.stores", "in-memory"))
                        .identity()
                        .stores())
                .isEqualTo(StoreBacking.IN_MEMORY);
        assertThatThrownBy(() -> bind(Map.of("leadflow.processor.identity.stores", "redis")))
                .isInstanceOf(BindException.class)
                .hasMessageContaining("leadflow.processor.identity.stores");
    }

    @Test
    void theFunnelKeepsItsCustomersFactsInRocksDbUnlessToldToKeepThemInMemory() {
        assertThat(bind(Map.of()).funnel().settings().factsStore()).isEqualTo(StoreBacking.ROCKSDB);
        assertThat(bind(Map.of("leadflow.processor.funnel.facts-store", "in-memory"))
                        .funnel()
                        .settings()
                        .factsStore())
                .isEqualTo(StoreBacking.IN_MEMORY);
        // As docs/operations.md tells operators to set it.
        ConfigurationPropertySource environment = ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
                "systemEnvironment", Map.of("LEADFLOW_PROCESSOR_FUNNEL_FACTS_STORE", "in-memory")));
        assertThat(new Binder(environment)
                        .bindOrCreate("leadflow.processor", ProcessorProperties.class)
                        .funnel()
                        .factsStore())
                .isEqualTo(StoreBacking.IN_MEMORY);
        assertThatThrownBy(() -> bind(Map.of("leadflow.processor.funnel.facts-store", "heap")))
                .isInstanceOf(BindException.class)
                .hasMessageContaining("leadflow.processor.funnel.facts-store");
    }

    @Test
    void aKilledInstancesTasksWaitOutTenSecondsNotKafkasFortyFive() {
        String session = StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
        String heartbeat = StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);

        Properties defaults = new StreamsRunner(bind(Map.of()), "localhost:9092").streamsConfig();
        Properties shorter = new StreamsRunner(
                        bind(Map.of("leadflow.processor.session-timeout", "6s")), "localhost:9092")
                .streamsConfig();

        assertThat(defaults).containsEntry(session, 10_000).containsEntry(heartbeat, 3_000);
        assertThat(shorter).containsEntry(session, 6_000).containsEntry(heartbeat, 2_000);
    }

    private static ProcessorProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("leadflow.processor", ProcessorProperties.class);
    }
}
