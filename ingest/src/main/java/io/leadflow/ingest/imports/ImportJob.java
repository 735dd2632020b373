package io.leadflow.ingest.imports;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.leadflow.ingest.auth.Caller;
import io.leadflow.ingest.web.FieldError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One CSV import and its progress. Counters are updated by the import worker and by the producer's
 * callbacks, and read by progress requests at any time; {@link #progress()} is a consistent-enough
 * snapshot for a progress bar. Only the first few refused rows are kept in detail, so a bad file of a
 * million rows does not fill the heap with errors.
 */
final class ImportJob {

    enum Status {
        QUEUED,
        RUNNING,
        COMPLETED,
        FAILED;

        boolean isFinished() {
            return this == COMPLETED || this == FAILED;
        }
    }

    /** A refused row: its number (1 = the first row after the header) and what is wrong with it. */
    record RowError(long row, List<FieldError> errors) {}

    /** What a client sees of a job. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Progress(
            String id,
            Status status,
            String charset,
            String delimiter,
            long rowsRead,
            long accepted,
            long refused,
            long notStored,
            List<RowError> firstErrors,
            String failure,
            Instant createdAt,
            Instant finishedAt) {}

    private final String id;
    private final Caller caller;
    private final int keptErrors;
    private final Instant createdAt;
    private final AtomicLong rowsRead = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong notStored = new AtomicLong();
    private final List<RowError> firstErrors = new ArrayList<>();
    private volatile Status status = Status.QUEUED;
    private volatile String failure;
    private volatile Instant finishedAt;
    private volatile CsvFile file;

    ImportJob(String id, Caller caller, int keptErrors, Instant createdAt) {
        this.id = id;
        this.caller = caller;
        this.keptErrors = keptErrors;
        this.createdAt = createdAt;
    }

    String id() {
        return id;
    }

    Caller caller() {
        return caller;
    }

    Status status() {
        return status;
    }

    Instant finishedAt() {
        return finishedAt;
    }

    void running(CsvFile file) {
        this.file = file;
        status = Status.RUNNING;
    }

    void rowRead() {
        rowsRead.incrementAndGet();
    }

    void accepted() {
        accepted.incrementAndGet();
    }

    void refused(long row, List<FieldError> errors) {
        refused.incrementAndGet();
        synchronized (firstErrors) {
            if (firstErrors.size() < keptErrors) {
                firstErrors.add(new RowError(row, errors));
            }
        }
    }

    void notStored() {
        notStored.incrementAndGet();
    }

    long notStoredCount() {
        return notStored.get();
    }

    void completed(Instant at) {
        finishedAt = at;
        status = Status.COMPLETED;
    }

    void failed(String why, Instant at) {
        failure = why;
        finishedAt = at;
        status = Status.FAILED;
    }

    Progress progress() {
        List<RowError> errors;
        synchronized (firstErrors) {
            errors = List.copyOf(firstErrors);
        }
        CsvFile csv = file;
        return new Progress(
                id,
                status,
                csv == null ? null : csv.charset().name(),
                csv == null ? null : csv.delimiter() == '\t' ? "tab" : String.valueOf(csv.delimiter()),
                rowsRead.get(),
                accepted.get(),
                refused.get(),
                notStored.get(),
                errors,
                failure,
                createdAt,
                finishedAt);
    }
}
