package io.leadflow.ingest.auth;

/** What an API key may send. A web form's key, say, need not be able to report won deals. */
public enum Permission {
    /** Leads: single, batch, NDJSON stream and Avro. */
    LEADS,
    /** Activities: follow-ups, stage changes, wins and losses. */
    ACTIVITIES,
    /** CSV imports and their progress. */
    IMPORTS
}
