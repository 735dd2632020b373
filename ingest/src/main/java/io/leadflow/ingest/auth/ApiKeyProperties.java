package io.leadflow.ingest.auth;

/**
 * One configured API key. Only the SHA-256 of the key is kept, so a leaked configuration file does not
 * leak the keys themselves.
 *
 * @param sha256 lower-case hex SHA-256 of the key
 * @param tenant the tenant every lead sent with this key belongs to
 * @param source the name of the upstream system that holds the key
 */
public record ApiKeyProperties(String sha256, String tenant, String source) {}
