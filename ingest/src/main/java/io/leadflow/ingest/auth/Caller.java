package io.leadflow.ingest.auth;

import io.leadflow.schemas.Keys;
import java.util.Objects;

/** The authenticated upstream system: the tenant a lead belongs to comes from here, never from the body. */
public record Caller(String tenant, String source) {

    public Caller {
        Keys.requireValidTenant(tenant);
        Objects.requireNonNull(source, "source");
    }
}
