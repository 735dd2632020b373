package io.leadflow.ingest;

import io.leadflow.ingest.auth.ApiKeyProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the ingest service; every default works out of the box and is documented in the module README.
 *
 * @param apiKeys the API keys upstream systems authenticate with, each bound to one tenant and source
 * @param apiKeysFile an optional file of further keys, re-read when it changes (rotation without restart)
 * @param apiKeysFilePoll how often the keys file is checked for changes
 * @param rateLimit the token bucket every key gets unless it sets its own
 * @param produceTimeout how long a request waits for the broker's acknowledgement before answering 503
 * @param defaultRegion the region used to read phone numbers written without a country code
 * @param tenantRegions per-tenant overrides of {@code defaultRegion}
 * @param maxBodySize largest body of a single lead or activity ({@code 413} beyond)
 * @param batch limits of the batch endpoints
 * @param stream how the NDJSON stream reads and produces
 * @param imports how CSV imports run
 * @param createTopics whether to create missing topics at start-up
 */
@ConfigurationProperties("leadflow.ingest")
public record IngestProperties(
        @DefaultValue List<ApiKeyProperties> apiKeys,
        Path apiKeysFile,
        @DefaultValue("5s") Duration apiKeysFilePoll,
        @DefaultValue RateLimit rateLimit,
        @DefaultValue("10s") Duration produceTimeout,
        @DefaultValue("CN") String defaultRegion,
        @DefaultValue Map<String, String> tenantRegions,
        @DefaultValue("64KB") DataSize maxBodySize,
        @DefaultValue Batch batch,
        @DefaultValue Stream stream,
        @DefaultValue Imports imports,
        @DefaultValue("true") boolean createTopics) {

    /** The region of phone numbers without a country code for {@code tenant}. */
    public String regionOf(String tenant) {
        return tenantRegions.getOrDefault(tenant, defaultRegion);
    }

    /**
     * A token bucket: {@code perSecond} requests on average, {@code burst} at once.
     *
     * @param perSecond tokens added per second
     * @param burst the bucket's capacity
     */
    public record RateLimit(
            @DefaultValue("200") double perSecond,
            @DefaultValue("400") int burst) {}

    /**
     * @param maxItems most items in one batch ({@code 413} beyond)
     * @param maxBodySize largest batch body ({@code 413} beyond)
     */
    public record Batch(
            @DefaultValue("1000") int maxItems,
            @DefaultValue("8MB") DataSize maxBodySize) {}

    /**
     * @param maxLineSize longest NDJSON line; a longer one is refused (read to its end, not kept) and the stream goes on
     * @param chunkSize lines produced together in one hand-over to the producer
     * @param chunkWait longest wait for a chunk to fill before the lines read so far are produced
     * @param concurrency chunks in flight at once; with {@code chunkSize} it bounds the memory of a stream
     */
    public record Stream(
            @DefaultValue("64KB") DataSize maxLineSize,
            @DefaultValue("512") int chunkSize,
            @DefaultValue("20ms") Duration chunkWait,
            @DefaultValue("16") int concurrency) {}

    /**
     * @param maxFileSize largest CSV file ({@code 413} beyond)
     * @param workers imports that run at once on this instance; more wait their turn
     * @param maxInFlight rows of one import sent but not yet acknowledged
     * @param keptErrors how many refused rows a job reports in detail
     * @param retention how long a finished job stays visible
     * @param progressInterval how often the SSE endpoint sends progress
     * @param spoolDir where uploads wait for their import (the system temp directory when unset)
     */
    public record Imports(
            @DefaultValue("2GB") DataSize maxFileSize,
            @DefaultValue("2") int workers,
            @DefaultValue("10000") int maxInFlight,
            @DefaultValue("20") int keptErrors,
            @DefaultValue("24h") Duration retention,
            @DefaultValue("1s") Duration progressInterval,
            Path spoolDir) {}
}
