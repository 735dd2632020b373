package io.leadflow.bench.workload;

/**
 * What a {@link Workload} contains; the workload is a pure function of this.
 *
 * @param seed the seed of everything random
 * @param tenants how many tenants (at most {@link Workload#TENANT_NAMES} many)
 * @param leadsPerTenant how many leads each tenant sends
 * @param salespeoplePerTenant how many simulated salespeople each tenant has (1 to {@link Workload#SALESPEOPLE} many)
 * @param duplicatePercent share of leads that repeat an earlier company (0-90)
 * @param intendedOwnerPercent share of new companies sent for a salesperson ({@code intendedOwner}, 0-100)
 * @param activitiesPerHundredLeads activities (follow-ups, stage changes, won, lost) per 100 leads
 * @param commandsPerHundredLeads pool commands (claims, releases) per 100 leads
 * @param minGap a duplicate, an activity or a command concerns a company whose first lead is at least this
 *     many of its tenant's steps earlier, so that a driver rarely waits for it
 */
public record WorkloadSpec(
        long seed,
        int tenants,
        int leadsPerTenant,
        int salespeoplePerTenant,
        int duplicatePercent,
        int intendedOwnerPercent,
        int activitiesPerHundredLeads,
        int commandsPerHundredLeads,
        int minGap) {

    public WorkloadSpec {
        require(tenants >= 1 && tenants <= Workload.TENANT_NAMES.size(), "tenants", tenants);
        require(leadsPerTenant >= 1, "leadsPerTenant", leadsPerTenant);
        require(
                salespeoplePerTenant >= 1 && salespeoplePerTenant <= Workload.SALESPEOPLE.size(),
                "salespeoplePerTenant",
                salespeoplePerTenant);
        require(duplicatePercent >= 0 && duplicatePercent <= 90, "duplicatePercent", duplicatePercent);
        require(intendedOwnerPercent >= 0 && intendedOwnerPercent <= 100, "intendedOwnerPercent", intendedOwnerPercent);
        require(activitiesPerHundredLeads >= 0, "activitiesPerHundredLeads", activitiesPerHundredLeads);
        require(commandsPerHundredLeads >= 0, "commandsPerHundredLeads", commandsPerHundredLeads);
        require(minGap >= 0, "minGap", minGap);
    }

    /**
     * The usual mix: 4 salespeople a tenant, a quarter of the leads duplicates, 30% of new companies with an
     * intended owner, 60 activities and 30 commands per 100 leads, dependent steps at least 8 steps later.
     */
    public static WorkloadSpec of(long seed, int tenants, int leadsPerTenant) {
        return new WorkloadSpec(seed, tenants, leadsPerTenant, 4, 25, 30, 60, 30, 8);
    }

    /** Only leads (with duplicates and intended owners), no activities and no commands. */
    public WorkloadSpec leadsOnly() {
        return withActivitiesAndCommands(0, 0);
    }

    public WorkloadSpec withActivitiesAndCommands(int activitiesPerHundredLeads, int commandsPerHundredLeads) {
        return new WorkloadSpec(
                seed,
                tenants,
                leadsPerTenant,
                salespeoplePerTenant,
                duplicatePercent,
                intendedOwnerPercent,
                activitiesPerHundredLeads,
                commandsPerHundredLeads,
                minGap);
    }

    private static void require(boolean condition, String name, long value) {
        if (!condition) {
            throw new IllegalArgumentException(name + " out of range: " + value);
        }
    }
}
