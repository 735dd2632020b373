package io.leadflow.api.projection;

import io.leadflow.schemas.Keys;

/**
 * That a projected table changed for a tenant; sent to every api instance as a PostgreSQL notification on
 * {@link #CHANNEL} with payload {@code stream:tenant}.
 *
 * @param stream which read model changed: {@code customer}, {@code pool}, {@code identity}, {@code funnel},
 *     {@code rules}, {@code owner-figures}
 */
public record Change(String stream, String tenant) {

    /** The PostgreSQL notification channel. */
    public static final String CHANNEL = "leadflow_changes";

    public static final String CUSTOMER = "customer";
    public static final String POOL = "pool";
    public static final String IDENTITY = "identity";
    public static final String FUNNEL = "funnel";
    public static final String RULES = "rules";
    public static final String OWNER_FIGURES = "owner-figures";

    public Change {
        Keys.requireValidTenant(tenant);
    }

    public String payload() {
        return stream + ":" + tenant;
    }

    /** The change a notification payload names, or null for a payload this version does not know. */
    public static Change parse(String payload) {
        int colon = payload == null ? -1 : payload.indexOf(':');
        if (colon < 1 || !Keys.isValidTenant(payload.substring(colon + 1))) {
            return null;
        }
        return new Change(payload.substring(0, colon), payload.substring(colon + 1));
    }
}
