package io.leadflow.ingest.support;

import io.leadflow.ingest.IngestApplication;
import io.leadflow.ingest.auth.ApiKeyAuthenticator;
import io.leadflow.ingest.kafka.EventPublisher;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Starts the ingest service for tests, with the given keys, and builds a client for it. */
public final class TestIngest {

    private TestIngest() {}

    /** The ingest service on a random port, producing to {@code bootstrapServers}. */
    public static ConfigurableApplicationContext start(String bootstrapServers, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--management.endpoint.health.show-details=always"));
        args.addAll(List.of(extraArgs));
        return IngestApplication.application().run(args.toArray(String[]::new));
    }

    /** The ingest service with {@code publisher} in place of Kafka: for slice tests without a broker. */
    public static ConfigurableApplicationContext startWithout(RecordingPublisher publisher, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=localhost:1",
                "--leadflow.ingest.create-topics=false"));
        args.addAll(List.of(extraArgs));
        FakeKafka.publisher = publisher;
        return IngestApplication.application().sources(FakeKafka.class).run(args.toArray(String[]::new));
    }

    /** {@code --leadflow.ingest.api-keys[index].*} arguments for a key. */
    public static String[] key(int index, String key, String tenant, String source, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--leadflow.ingest.api-keys[%d].sha256=%s".formatted(index, ApiKeyAuthenticator.sha256(key)),
                "--leadflow.ingest.api-keys[%d].tenant=%s".formatted(index, tenant),
                "--leadflow.ingest.api-keys[%d].source=%s".formatted(index, source)));
        for (String setting : more) {
            args.add("--leadflow.ingest.api-keys[%d].%s".formatted(index, setting));
        }
        return args.toArray(String[]::new);
    }

    public static WebTestClient client(ConfigurableApplicationContext ingest) {
        return WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + ingest.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(java.time.Duration.ofSeconds(60))
                .build();
    }

    /** Registered as a source, not annotated, so component scanning of other tests never picks it up. */
    static class FakeKafka {
        static RecordingPublisher publisher;

        @Bean
        @Primary
        EventPublisher recordingPublisher() {
            return publisher;
        }
    }
}
