package io.leadflow.processor.funnel;

import io.leadflow.avro.Company;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.StageVisit;
import io.leadflow.schemas.Keys;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixture: one customer whose changes are successive snapshots, as the processor writes them.
 * {@code aCustomer("c-1").ownedBy("bob", "east").build()}; every {@link #build()} is the next version.
 */
final class Customers {

    static final Instant FIRST_LEAD_AT = Instant.parse("2026-11-27T02:00:00Z");

    private String tenant = "acme";
    private final String customerId;
    private long version;
    private String stage = "NEW";
    private BigDecimal amount;
    private String owner;
    private String team;
    private String source;
    private String campaign;
    private Instant firstLeadAt = FIRST_LEAD_AT;
    private Instant now = FIRST_LEAD_AT;
    private final List<StageVisit> history = new ArrayList<>();
    private boolean historyStarted;

    private Customers(String customerId) {
        this.customerId = customerId;
    }

    static Customers aCustomer(String customerId) {
        return new Customers(customerId);
    }

    Customers ofTenant(String tenant) {
        this.tenant = tenant;
        return this;
    }

    Customers firstLeadAt(Instant at) {
        this.firstLeadAt = at;
        this.now = at;
        return this;
    }

    Customers withAmount(String amount) {
        this.amount = amount == null ? null : new BigDecimal(amount);
        return this;
    }

    Customers ownedBy(String owner, String team) {
        this.owner = owner;
        this.team = team;
        return this;
    }

    Customers inPublicPool() {
        this.owner = null;
        this.team = null;
        return this;
    }

    Customers from(String source, String campaign) {
        this.source = source;
        this.campaign = campaign;
        return this;
    }

    /** Moves to {@code stage} {@code after} the previous change. */
    Customers movedTo(String stage, Duration after) {
        startHistory();
        now = now.plus(after);
        this.stage = stage;
        history.add(visit(stage, now));
        return this;
    }

    Customers withVersion(long version) {
        this.version = version - 1;
        return this;
    }

    String key() {
        return Keys.customer(tenant, customerId);
    }

    Instant updatedAt() {
        return now;
    }

    CustomerSnapshot build() {
        startHistory();
        version++;
        return CustomerSnapshot.newBuilder()
                .setTenant(tenant)
                .setCustomerId(customerId)
                .setVersion(version)
                .setCompany(
                        Company.newBuilder().setName("Company " + customerId).build())
                .setSource(source)
                .setCampaign(campaign)
                .setOwner(owner)
                .setTeam(team)
                .setStage(stage)
                .setAmount(amount)
                .setFirstLeadAt(firstLeadAt)
                .setCreatedAt(firstLeadAt)
                .setUpdatedAt(now)
                .setStageEnteredAt(history.get(history.size() - 1).getEnteredAt())
                .setStageHistory(List.copyOf(history))
                .build();
    }

    private void startHistory() {
        if (!historyStarted) {
            historyStarted = true;
            history.add(visit(stage, firstLeadAt));
        }
    }

    private static StageVisit visit(String stage, Instant at) {
        return StageVisit.newBuilder().setStage(stage).setEnteredAt(at).build();
    }
}
