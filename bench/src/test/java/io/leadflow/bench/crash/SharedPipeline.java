package io.leadflow.bench.crash;

import io.leadflow.bench.cluster.ProcessPipeline;
import io.leadflow.bench.workload.Workload;
import io.leadflow.bench.workload.WorkloadSpec;
import io.leadflow.standalone.LeadflowServices.Service;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The pipeline that the crash tests on the default settings share, given to a test method's {@link ProcessPipeline}
 * parameter: started by the first of them, closed when the test run ends. Starting five processes takes about 30 s
 * on two cores, and stopping them 4 s; once instead of once per test.
 *
 * <p>Each test sends tenants of its own (its {@link Scenario}'s prefix before the usual tenant names), so it reads
 * back only what it sent. A test that left a service down or not ready hands the next one a new pipeline, so one
 * failure does not fail the tests after it.
 */
final class SharedPipeline implements ParameterResolver {

    /** The tests that share the pipeline, each with the prefix of its tenants. */
    enum Scenario {
        API("api-"),
        DATABASE("database-"),
        PROCESSOR("processor-");

        private final String tenantPrefix;

        Scenario(String tenantPrefix) {
            this.tenantPrefix = tenantPrefix;
        }

        /** The scenario's workload: {@code spec}'s, with its tenants renamed. */
        Workload workload(WorkloadSpec spec) {
            return Workload.generate(spec, tenantPrefix);
        }
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedPipeline.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ProcessPipeline.class;
    }

    @Override
    public ProcessPipeline resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        Running running = store.computeIfAbsent(Running.class, key -> Running.start(), Running.class);
        if (!running.healthy()) {
            store.remove(Running.class, Running.class).close();
            running = store.computeIfAbsent(Running.class, key -> Running.start(), Running.class);
        }
        return running.pipeline();
    }

    /** The pipeline, closed with the root context's store at the end of the run. */
    private record Running(ProcessPipeline pipeline) implements AutoCloseable {

        static Running start() {
            List<String> tenants = Arrays.stream(Scenario.values())
                    .flatMap(scenario -> Workload.TENANT_NAMES.stream().map(name -> scenario.tenantPrefix + name))
                    .toList();
            return new Running(CrashSettings.pipeline("shared", tenants));
        }

        boolean healthy() {
            PipelineClient client = new PipelineClient(pipeline);
            return pipeline.broker().isAlive()
                    && Arrays.stream(Service.values())
                            .allMatch(service -> pipeline.process(service).isAlive()
                                    && client.health(service).equals("UP"));
        }

        @Override
        public void close() {
            pipeline.close();
        }
    }
}
