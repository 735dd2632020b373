package io.leadflow.api.stream;

/**
 * One event of a live stream.
 *
 * @param id the row's change number within its tenant: the SSE event id a client resumes after
 * @param event the SSE event name ({@code funnel}, {@code pool-event}, {@code identity-event})
 * @param data the JSON body
 */
record StreamItem(long id, String event, Object data) {}
