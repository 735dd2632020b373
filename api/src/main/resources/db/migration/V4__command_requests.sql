-- Command requests sent with an Idempotency-Key (owned by the api, not projected): the command id is derived from
-- tenant, actor and key, so a retry names the same command; the hash of the first request refuses a different
-- request under the same key, and issued_at is re-sent unchanged (the processor remembers outcomes by the day a
-- command was issued). Deleted with the command outcomes, after leadflow.api.commands.result-retention.
CREATE TABLE command_request (
    tenant       text        NOT NULL,
    command_id   text        NOT NULL,
    request_hash text        NOT NULL,
    issued_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant, command_id)
);

CREATE INDEX command_request_issued_at ON command_request (issued_at);
