package io.leadflow.api.auth;

import io.leadflow.schemas.Keys;
import java.util.Objects;

/** Who is asking: every query is scoped to the viewer's tenant, which comes from the token alone. */
public record Viewer(String tenant, String user) {

    public Viewer {
        Keys.requireValidTenant(tenant);
        Objects.requireNonNull(user, "user");
    }
}
