package io.leadflow.api.auth;

/**
 * One configured bearer token. Only its SHA-256 is kept.
 *
 * @param sha256 lower-case hex SHA-256 of the token
 * @param tenant the tenant the token reads
 * @param user the user the token acts as
 */
public record TokenProperties(String sha256, String tenant, String user) {}
