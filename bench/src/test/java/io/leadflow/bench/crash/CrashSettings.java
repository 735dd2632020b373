package io.leadflow.bench.crash;

import io.leadflow.bench.cluster.ProcessPipeline;
import io.leadflow.bench.workload.Workload;
import io.leadflow.ingest.auth.ApiKeyAuthenticator;
import io.leadflow.standalone.LeadflowServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The size of a crash test, from system properties (the {@code proof-long} profile sets the long form; the
 * defaults are the short form that runs in {@code ./mvnw verify}), and the pipelines the crash tests run on.
 *
 * @param seed {@code leadflow.crash.seed}: the workload and the kill points
 * @param tenants {@code leadflow.crash.tenants}
 * @param leadsPerTenant {@code leadflow.crash.leads}
 * @param kills {@code leadflow.crash.kills}: how often the process under test is killed
 * @param stepInterval {@code leadflow.crash.step-interval-ms}: least time between two steps of a tenant
 */
record CrashSettings(long seed, int tenants, int leadsPerTenant, int kills, Duration stepInterval) {

    static CrashSettings fromSystemProperties(int defaultTenants, int defaultLeads, int defaultKills) {
        return new CrashSettings(
                Long.getLong("leadflow.crash.seed", 20261127L),
                Integer.getInteger("leadflow.crash.tenants", defaultTenants),
                Integer.getInteger("leadflow.crash.leads", defaultLeads),
                Integer.getInteger("leadflow.crash.kills", defaultKills),
                Duration.ofMillis(Long.getLong("leadflow.crash.step-interval-ms", 40L)));
    }

    /** The whole pipeline as separate processes, with an ingest key for each of the workload's tenants. */
    static ProcessPipeline pipeline(String name, Workload workload, Map<String, String> properties) {
        return pipeline(name, workload.tenants(), properties);
    }

    /** As above, with an ingest key for each of {@code tenants}, on the services' default settings. */
    static ProcessPipeline pipeline(String name, List<String> tenants) {
        return pipeline(name, tenants, Map.of());
    }

    /** @param properties further settings of the services */
    private static ProcessPipeline pipeline(String name, List<String> tenants, Map<String, String> properties) {
        Path workDir = Path.of("target", "crash", name + "-" + System.currentTimeMillis());
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<LeadflowServices.Credential> keys = tenants.stream()
                .map(tenant -> new LeadflowServices.Credential(
                        ApiKeyAuthenticator.sha256(PipelineClient.ingestKey(tenant)), tenant, "crash-suite"))
                .toList();
        return ProcessPipeline.start(new ProcessPipeline.Options(
                workDir.toAbsolutePath(), keys, PipelineClient.API_SECRET, null, properties, ProcessPipeline.TEST_JVM));
    }
}
