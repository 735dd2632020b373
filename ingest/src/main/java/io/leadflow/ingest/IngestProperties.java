package io.leadflow.ingest;

import io.leadflow.ingest.auth.ApiKeyProperties;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the ingest service.
 *
 * @param apiKeys the API keys upstream systems authenticate with, each bound to one tenant and source
 * @param produceTimeout how long a request waits for the broker's acknowledgement before answering 503
 * @param defaultRegion the region used to read phone numbers written without a country code
 */
@ConfigurationProperties("leadflow.ingest")
public record IngestProperties(
        @DefaultValue List<ApiKeyProperties> apiKeys,
        @DefaultValue("10s") Duration produceTimeout,
        @DefaultValue("CN") String defaultRegion) {}
