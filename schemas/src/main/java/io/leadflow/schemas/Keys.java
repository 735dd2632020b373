package io.leadflow.schemas;

import io.leadflow.avro.FunnelDimension;
import java.util.Objects;

/**
 * Record keys of the LeadFlow topics. Every key starts with the tenant id, so a key always says whose
 * data it is; tenant ids never contain {@code /}, so the tenant is everything before the first one.
 */
public final class Keys {

    private static final int MAX_TENANT_LENGTH = 63;
    private static final char SEPARATOR = '/';

    private Keys() {}

    /** Whether {@code tenant} is a valid tenant id: lower-case letters, digits and '-', 1 to 63 long, not starting with '-'. */
    public static boolean isValidTenant(String tenant) {
        // Checked for every key built, several times per record: a loop, not a regular expression.
        if (tenant == null || tenant.isEmpty() || tenant.length() > MAX_TENANT_LENGTH || tenant.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < tenant.length(); i++) {
            char c = tenant.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks that {@code tenant} is a valid tenant id.
     *
     * @throws IllegalArgumentException naming the bad value if it is not
     */
    public static void requireValidTenant(String tenant) {
        if (!isValidTenant(tenant)) {
            throw new IllegalArgumentException(
                    "Invalid tenant id '" + tenant + "': expected 1 to 63 of a-z, 0-9 and '-', not starting with '-'");
        }
    }

    /** Key of a customer's records (customers, pool-events, identity-events): {@code tenant/customerId}. */
    public static String customer(String tenant, String customerId) {
        return join(tenant, requireNonBlank(customerId, "customerId"));
    }

    /** The common start of every customer key of a tenant, for prefix scans. */
    public static String customerPrefix(String tenant) {
        requireValidTenant(tenant);
        return tenant + SEPARATOR;
    }

    /** Key of an owner's figures: {@code tenant/owner}. */
    public static String owner(String tenant, String owner) {
        return join(tenant, requireNonBlank(owner, "owner"));
    }

    /** Key of a command result: {@code tenant/commandId}. */
    public static String commandResult(String tenant, String commandId) {
        return join(tenant, requireNonBlank(commandId, "commandId"));
    }

    /**
     * Key of a funnel figure: {@code tenant/DIMENSION/period/dimensionValue}. The value goes last because
     * it is the only part that may itself contain '/'.
     */
    public static String funnel(String tenant, FunnelDimension dimension, String period, String dimensionValue) {
        Objects.requireNonNull(dimension, "dimension");
        String checkedPeriod = requireNonBlank(period, "period");
        if (checkedPeriod.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("Invalid period '" + period + "': must not contain '/'");
        }
        return join(
                tenant,
                dimension.name()
                        + SEPARATOR
                        + checkedPeriod
                        + SEPARATOR
                        + Objects.requireNonNull(dimensionValue, "dimensionValue"));
    }

    /** Key of a dead letter: {@code sourceTopic@partition@offset}, unique per source record. */
    public static String deadLetter(String sourceTopic, int partition, long offset) {
        return requireNonBlank(sourceTopic, "sourceTopic") + "@" + partition + "@" + offset;
    }

    /**
     * The tenant of a key: the whole key for topics keyed by tenant, the part before the first '/'
     * otherwise.
     *
     * @throws IllegalArgumentException if that part is not a valid tenant id
     */
    public static String tenantOf(String key) {
        Objects.requireNonNull(key, "key");
        int separator = key.indexOf(SEPARATOR);
        String tenant = separator < 0 ? key : key.substring(0, separator);
        requireValidTenant(tenant);
        return tenant;
    }

    private static String join(String tenant, String rest) {
        requireValidTenant(tenant);
        return tenant + SEPARATOR + rest;
    }

    private static String requireNonBlank(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank, was '" + value + "'");
        }
        return value;
    }
}
