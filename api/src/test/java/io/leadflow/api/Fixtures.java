package io.leadflow.api;

import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.FunnelDimension;
import io.leadflow.avro.FunnelFigure;
import io.leadflow.avro.FunnelKind;
import io.leadflow.avro.IdentityEvent;
import io.leadflow.avro.MatchKey;
import io.leadflow.avro.MatchKeyKind;
import io.leadflow.avro.OwnerFigures;
import io.leadflow.avro.PoolEvent;
import io.leadflow.avro.PoolEventType;
import io.leadflow.avro.StageFigure;
import io.leadflow.matching.LeadFields;
import io.leadflow.matching.MatchKeyExtractor;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.SharedKafka;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/** Records as the processor writes them, built with the same match keys it would derive. */
public final class Fixtures {

    private static final MatchKeyExtractor KEYS = new MatchKeyExtractor("CN");

    private Fixtures() {}

    /** A customer with one contact; match keys from the name, e-mail and phone, as the processor derives them. */
    public static CustomerSnapshot.Builder aCustomer(
            String tenant, String customerId, String name, String email, String phone) {
        Instant at = Instant.parse("2026-11-27T08:00:00Z");
        List<MatchKey> keys = KEYS.extract(new LeadFields(name, null, email, phone, null, null)).keys().stream()
                .map(key -> new MatchKey(MatchKeyKind.valueOf(key.kind().name()), key.value()))
                .toList();
        return CustomerSnapshot.newBuilder()
                .setTenant(tenant)
                .setCustomerId(customerId)
                .setVersion(1)
                .setCompany(Company.newBuilder().setName(name).build())
                .setContacts(List.of(Contact.newBuilder()
                        .setName("王伟")
                        .setEmail(email)
                        .setMobile(phone)
                        .build()))
                .setMatchKeys(keys)
                .setLeadIds(List.of("l-" + customerId))
                .setFirstLeadAt(at)
                .setCreatedAt(at)
                .setUpdatedAt(at);
    }

    /** A pool event at now; set owners and pool on the builder. */
    public static PoolEvent.Builder aPoolEvent(String tenant, String eventId, String customerId, PoolEventType type) {
        return PoolEvent.newBuilder()
                .setEventId(eventId)
                .setTenant(tenant)
                .setCustomerId(customerId)
                .setType(type)
                .setOccurredAt(Instant.now());
    }

    /** A live figure of any dimension with one NEW stage of {@code count} customers. */
    public static FunnelFigure aFunnelFigure(String tenant, FunnelDimension dimension, String value, long count) {
        return FunnelFigure.newBuilder()
                .setTenant(tenant)
                .setDimension(dimension)
                .setDimensionValue(value)
                .setPeriod("live")
                .setKind(FunnelKind.SNAPSHOT)
                .setStages(List.of(new StageFigure(
                        "NEW", count, new BigDecimal("100.00"), new BigDecimal("5.00"), count, null, null, null)))
                .setWon(0)
                .setLost(0)
                .setUpdatedAt(Instant.now())
                .build();
    }

    /**
     * Figures of an owner as the processor emits them: {@code held} customers (all counting against a capacity of
     * 10), {@code sequence} claims today (of 5) in Asia/Shanghai, rules version 1.
     */
    public static OwnerFigures.Builder anOwnerFigures(String tenant, String owner, long sequence, long held) {
        Instant now = Instant.now();
        return OwnerFigures.newBuilder()
                .setTenant(tenant)
                .setOwner(owner)
                .setHeld(held)
                .setHeldCountingCapacity(held)
                .setCapacity(10)
                .setClaimsToday(sequence)
                .setDailyClaimLimit(5)
                .setDay(LocalDate.ofInstant(now, ZoneId.of("Asia/Shanghai")))
                .setTimeZone("Asia/Shanghai")
                .setRulesVersion(1)
                .setSequence(sequence)
                .setUpdatedAt(now);
    }

    public static void publish(OwnerFigures figures) {
        SharedKafka.client()
                .produce(Topics.OWNER_FIGURES, Keys.owner(figures.getTenant(), figures.getOwner()), figures);
    }

    public static void publish(PoolEvent event) {
        SharedKafka.client()
                .produce(Topics.POOL_EVENTS, Keys.customer(event.getTenant(), event.getCustomerId()), event);
    }

    public static void publish(IdentityEvent event) {
        SharedKafka.client()
                .produce(Topics.IDENTITY_EVENTS, Keys.customer(event.getTenant(), event.getCustomerId()), event);
    }

    public static void publish(FunnelFigure figure) {
        SharedKafka.client()
                .produce(
                        Topics.FUNNEL,
                        Keys.funnel(
                                figure.getTenant(),
                                figure.getDimension(),
                                figure.getPeriod(),
                                figure.getDimensionValue()),
                        figure);
    }

    public static void publish(CustomerSnapshot snapshot) {
        SharedKafka.client()
                .produce(Topics.CUSTOMERS, Keys.customer(snapshot.getTenant(), snapshot.getCustomerId()), snapshot);
    }
}
