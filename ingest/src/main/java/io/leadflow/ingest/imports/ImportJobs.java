package io.leadflow.ingest.imports;

import io.leadflow.avro.Lead;
import io.leadflow.ingest.IngestProperties;
import io.leadflow.ingest.auth.Caller;
import io.leadflow.ingest.kafka.EventPublisher;
import io.leadflow.ingest.lead.LeadParser;
import io.leadflow.ingest.web.IdempotencyKey;
import io.leadflow.ingest.web.IngestMetrics;
import io.leadflow.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The import jobs of this instance, kept in memory: a job and its progress live as long as the instance
 * (and at most the configured retention after it finished); what it produced is on the leads topic for good.
 * Jobs run on a small pool of worker threads, one row at a time; at most {@code maxInFlight} rows of a job
 * wait for the broker at once, so memory stays flat whatever the file's length. A job stops at the first
 * row the broker did not acknowledge: re-running the import with the same {@code Idempotency-Key} (or a
 * {@code leadId} column) then produces nothing new for the rows already stored.
 */
@Component
class ImportJobs implements DisposableBean {

    static final String KIND = "lead";
    private static final Logger log = LoggerFactory.getLogger(ImportJobs.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, ImportJob> jobs = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    private final LeadParser parser;
    private final EventPublisher publisher;
    private final IngestMetrics metrics;
    private final IngestProperties.Imports settings;
    private final Clock clock;

    ImportJobs(EventPublisher publisher, IngestMetrics metrics, IngestProperties properties, Clock clock) {
        this.publisher = publisher;
        this.metrics = metrics;
        this.settings = properties.imports();
        this.clock = clock;
        this.parser = new LeadParser(properties::regionOf);
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(settings.workers(), runnable -> {
            Thread thread = new Thread(runnable, "lead-import-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Registers a job for an uploaded file and queues it; the file is deleted once the job ends. */
    ImportJob start(Caller caller, CsvFile file, ColumnMapping mapping, Optional<IdempotencyKey> key) {
        forgetOldJobs();
        ImportJob job = new ImportJob(LeadParser.newLeadId(), caller, settings.keptErrors(), clock.instant());
        jobs.put(job.id(), job);
        workers.execute(() -> run(job, file, mapping, key));
        return job;
    }

    /** The job, if it exists and belongs to {@code caller}'s tenant. */
    Optional<ImportJob> find(String id, Caller caller) {
        return Optional.ofNullable(jobs.get(id))
                .filter(job -> job.caller().tenant().equals(caller.tenant()));
    }

    private void run(ImportJob job, CsvFile file, ColumnMapping mapping, Optional<IdempotencyKey> key) {
        job.running(file);
        Caller caller = job.caller();
        Semaphore inFlight = new Semaphore(settings.maxInFlight());
        List<String> targets = mapping.targets(file.headers());
        try (CSVParser rows = file.rows()) {
            Instant receivedAt = clock.instant();
            for (CSVRecord record : rows) {
                if (job.notStoredCount() > 0) {
                    break;
                }
                long row = record.getRecordNumber();
                job.rowRead();
                LeadParser.Result result = parser.parse(
                        toJson(record, targets),
                        caller,
                        receivedAt,
                        () -> key.map(k -> k.id(caller.tenant(), KIND, row)).orElseGet(LeadParser::newLeadId));
                if (!result.isValid()) {
                    job.refused(row, result.errors());
                    metrics.refused(KIND, caller.source(), "invalid", 1);
                    continue;
                }
                inFlight.acquire();
                send(job, result.lead(), inFlight);
            }
            inFlight.acquire(settings.maxInFlight());
            if (job.notStoredCount() > 0) {
                job.failed(
                        "the broker did not acknowledge every row; import the file again with the same "
                                + "Idempotency-Key",
                        clock.instant());
            } else {
                job.completed(clock.instant());
            }
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            job.failed("the file cannot be read as CSV: " + e.getMessage(), clock.instant());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.failed("the instance shut down during the import", clock.instant());
        } catch (RuntimeException e) {
            log.warn("import {} failed", job.id(), e);
            job.failed(e.toString(), clock.instant());
        } finally {
            deleteQuietly(file.path());
            log.info("import {} of {} ended: {}", job.id(), caller, job.progress());
        }
    }

    private void send(ImportJob job, Lead lead, Semaphore inFlight) {
        publisher.send(Topics.LEADS, lead.getTenant(), lead).whenComplete((ok, failure) -> {
            if (failure == null) {
                job.accepted();
                metrics.accepted(KIND, job.caller().source(), 1);
            } else {
                job.notStored();
                metrics.refused(KIND, job.caller().source(), "broker-unavailable", 1);
            }
            inFlight.release();
        });
    }

    private static ObjectNode toJson(CSVRecord record, List<String> targets) {
        ObjectNode lead = JSON.createObjectNode();
        int columns = Math.min(record.size(), targets.size());
        for (int i = 0; i < columns; i++) {
            ColumnMapping.put(lead, targets.get(i), record.get(i));
        }
        return lead;
    }

    private void forgetOldJobs() {
        Instant horizon = clock.instant().minus(settings.retention());
        jobs.values()
                .removeIf(job -> job.finishedAt() != null && job.finishedAt().isBefore(horizon));
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("could not delete the import file {}: {}", path, e.toString());
        }
    }

    @Override
    public void destroy() {
        workers.shutdownNow();
    }
}
