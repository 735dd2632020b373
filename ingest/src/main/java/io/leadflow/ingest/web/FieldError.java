package io.leadflow.ingest.web;

/**
 * One rejected field of a request body.
 *
 * @param field the JSON path of the field, e.g. {@code contact.email}
 * @param message what is wrong with it, in words a developer of the upstream system can act on
 */
public record FieldError(String field, String message) {}
