package io.leadflow.standalone;

import io.leadflow.api.ApiApplication;
import io.leadflow.ingest.IngestApplication;
import io.leadflow.processor.ProcessorApplication;
import io.leadflow.standalone.embedded.EmbeddedPostgresServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the processor, the api and the ingest service in this JVM, each in its own Spring context with its
 * own configuration file, against one Kafka cluster and one PostgreSQL database. Started in dependency
 * order (the processor creates the topics; the api reads what the processor writes; ingest opens the front
 * door last) and closed in reverse, so no lead is accepted while nothing can store it. {@link #arguments}
 * gives the same configuration to a service started in a JVM of its own ({@link ServiceMain}).
 */
public final class LeadflowServices implements AutoCloseable {

    /**
     * Where the services listen and what they connect to. Port 0 picks a free port.
     *
     * @param apiHmacSecret the secret the api verifies HS256 tokens with (at least 32 bytes)
     * @param devTokenTenant the tenant the api's development token endpoint mints tokens for; {@code null}
     *     keeps that endpoint off
     * @param extraProperties further {@code name=value} settings given to all three services
     */
    public record Settings(
            String bootstrapServers,
            Database database,
            Path stateDir,
            int processorPort,
            int apiPort,
            int ingestPort,
            List<Credential> ingestKeys,
            String apiHmacSecret,
            String devTokenTenant,
            Map<String, String> extraProperties) {

        public Settings {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(stateDir, "stateDir");
            ingestKeys = List.copyOf(ingestKeys);
            Objects.requireNonNull(apiHmacSecret, "apiHmacSecret");
            extraProperties = Map.copyOf(extraProperties);
        }
    }

    /** A PostgreSQL database the api projects into. */
    public record Database(String host, int port, String name, String username, String password) {

        /** The LeadFlow database of an embedded PostgreSQL on this host. */
        public static Database of(EmbeddedPostgresServer postgres) {
            return new Database(
                    "localhost",
                    postgres.port(),
                    EmbeddedPostgresServer.DATABASE,
                    postgres.username(),
                    postgres.password());
        }
    }

    /** An API key of the ingest service, as its SHA-256, with the tenant and the source system it stands for. */
    public record Credential(String sha256, String tenant, String principal) {}

    private final List<ConfigurableApplicationContext> started;

    private LeadflowServices(List<ConfigurableApplicationContext> started) {
        this.started = started;
    }

    /** One of the three services, with the Spring application that runs it. */
    public enum Service {
        PROCESSOR,
        API,
        INGEST;

        public SpringApplicationBuilder application() {
            switch (this) {
                case PROCESSOR:
                    return ProcessorApplication.application();
                case API:
                    return ApiApplication.application();
                default:
                    return IngestApplication.application();
            }
        }
    }

    public static LeadflowServices start(Settings settings) {
        List<ConfigurableApplicationContext> started = new ArrayList<>();
        try {
            for (Service service : Service.values()) {
                started.add(service.application()
                        // The caller closes the services in order; three independent shutdown hooks would race.
                        .registerShutdownHook(false)
                        .run(arguments(service, settings).toArray(String[]::new)));
            }
            return new LeadflowServices(started);
        } catch (RuntimeException e) {
            new LeadflowServices(started).close();
            throw e;
        }
    }

    /**
     * The command-line arguments that run {@code service} with {@code settings}: what this class passes to
     * each context, and what a launcher passes to {@link ServiceMain} to run the service in a JVM of its own.
     */
    public static List<String> arguments(Service service, Settings settings) {
        List<String> all = new ArrayList<>();
        switch (service) {
            case PROCESSOR:
                all.addAll(processorArgs(settings));
                break;
            case API:
                all.addAll(apiArgs(settings));
                break;
            default:
                all.addAll(ingestArgs(settings));
        }
        all.add("--spring.kafka.bootstrap-servers=" + settings.bootstrapServers());
        settings.extraProperties().forEach((name, value) -> all.add("--" + name + "=" + value));
        return all;
    }

    public int processorPort() {
        return port(0);
    }

    public int apiPort() {
        return port(1);
    }

    public int ingestPort() {
        return port(2);
    }

    public ConfigurableApplicationContext processor() {
        return started.get(0);
    }

    public ConfigurableApplicationContext api() {
        return started.get(1);
    }

    public ConfigurableApplicationContext ingest() {
        return started.get(2);
    }

    private int port(int index) {
        return Integer.parseInt(started.get(index).getEnvironment().getRequiredProperty("local.server.port"));
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    private static List<String> processorArgs(Settings settings) {
        return List.of(
                "--server.port=" + settings.processorPort(),
                "--leadflow.processor.state-dir=" + settings.stateDir().toAbsolutePath(),
                ApiApplication.NOT_IN_OTHER_SERVICES);
    }

    private static List<String> apiArgs(Settings settings) {
        Database db = settings.database();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + settings.apiPort(),
                "--leadflow.db.host=" + db.host(),
                "--leadflow.db.port=" + db.port(),
                "--leadflow.db.name=" + db.name(),
                "--leadflow.db.username=" + db.username(),
                "--leadflow.db.password=" + db.password()));
        args.add("--leadflow.api.security.hmac-secret=" + settings.apiHmacSecret());
        if (settings.devTokenTenant() != null) {
            args.add("--leadflow.api.security.dev-tokens.enabled=true");
            args.add("--leadflow.api.security.dev-tokens.tenant=" + settings.devTokenTenant());
        }
        return args;
    }

    private static List<String> ingestArgs(Settings settings) {
        List<String> args = new ArrayList<>(
                List.of("--server.port=" + settings.ingestPort(), ApiApplication.NOT_IN_OTHER_SERVICES));
        for (int i = 0; i < settings.ingestKeys().size(); i++) {
            Credential key = settings.ingestKeys().get(i);
            args.add("--leadflow.ingest.api-keys[" + i + "].sha256=" + key.sha256());
            args.add("--leadflow.ingest.api-keys[" + i + "].tenant=" + key.tenant());
            args.add("--leadflow.ingest.api-keys[" + i + "].source=" + key.principal());
        }
        return args;
    }
}
