package io.leadflow.api.funnel;

import io.leadflow.api.auth.Viewer;
import io.leadflow.avro.FunnelDimension;

/**
 * Who sees which funnel figures: tenant-wide, source and campaign figures are for everyone of the tenant; a
 * salesperson sees the OWNER figures of themselves and the TEAM figures of their team; a manager every OWNER
 * figure and their team's TEAM figures; an admin everything.
 */
public final class FunnelAccess {

    private FunnelAccess() {}

    public static boolean maySee(Viewer viewer, FunnelDimension dimension, String value) {
        if (viewer.isAdmin()) {
            return true;
        }
        return switch (dimension) {
            case TENANT, SOURCE, CAMPAIGN -> true;
            case OWNER -> viewer.isManager() || viewer.user().equals(value);
            case TEAM -> viewer.team() != null && viewer.team().equals(value);
        };
    }

    /** The only value a viewer may list for a dimension without naming one, or null when all are visible. */
    public static String onlyValue(Viewer viewer, FunnelDimension dimension) {
        if (viewer.isAdmin()) {
            return null;
        }
        return switch (dimension) {
            case TENANT, SOURCE, CAMPAIGN -> null;
            case OWNER -> viewer.isManager() ? null : viewer.user();
            case TEAM -> viewer.team() == null ? "\u0000no-team" : viewer.team();
        };
    }
}
