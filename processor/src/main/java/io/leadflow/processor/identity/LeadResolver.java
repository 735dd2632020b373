package io.leadflow.processor.identity;

import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.DeadLetter;
import io.leadflow.avro.IdentityEvent;
import io.leadflow.avro.IdentityEventType;
import io.leadflow.avro.Lead;
import io.leadflow.avro.MatchKey;
import io.leadflow.avro.PoolEvent;
import io.leadflow.avro.PoolEventType;
import io.leadflow.matching.Decision;
import io.leadflow.matching.Evidence;
import io.leadflow.matching.KeyRules;
import io.leadflow.matching.Match;
import io.leadflow.matching.MatchEngine;
import io.leadflow.matching.PreparedRecord;
import io.leadflow.processor.deadletter.DeadLetters;
import io.leadflow.processor.pool.PoolBook;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each lead into a customer with the {@link MatchEngine}: a lead sharing an exact key (credit
 * code, e-mail, phone, domain, normalised name) with a customer of its tenant joins it, and so does a lead
 * whose name is one customer's apart from the region ({@code same-name-apart-from-region}, see {@link
 * MatchEngine}); otherwise it founds a new customer. A lead id seen before changes nothing, so upstream retries are safe.
 *
 * <p>Findings go to the identity events, each with its evidence:
 *
 * <ul>
 *   <li>COLLISION (撞单): the lead's intended owner is not the holder of the customer it joins; the
 *       holder keeps the customer;
 *   <li>MERGE_SUGGESTION: the lead also matches other customers by weaker keys (merges are explicit);
 *   <li>POSSIBLE_DUPLICATE: the new customer's name is like another customer's (for review).
 * </ul>
 *
 * Every change is written as a new customer snapshot (version + 1) and a pool event.
 */
final class LeadResolver implements Processor<String, Lead, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(LeadResolver.class);

    private final MatchEngine engine;
    private final String customersNode;
    private final String poolEventsNode;
    private final String identityEventsNode;
    private final String deadLetterNode;
    private final int rekeyChunk;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, String> index;
    private KeyValueStore<String, String> blocks;
    private CustomerStore customers;
    private KeyValueStore<String, String> seenLeads;
    private PoolBook pool;
    private FullBlocks fullBlocks;
    private MergeRedirects mergeRedirects;

    LeadResolver(
            MatchEngine engine,
            String customersNode,
            String poolEventsNode,
            String identityEventsNode,
            String deadLetterNode) {
        this(engine, customersNode, poolEventsNode, identityEventsNode, deadLetterNode, IndexRekeying.CHUNK);
    }

    /** @param rekeyChunk customers re-keyed per punctuation when the index was built under other key rules */
    LeadResolver(
            MatchEngine engine,
            String customersNode,
            String poolEventsNode,
            String identityEventsNode,
            String deadLetterNode,
            int rekeyChunk) {
        this.rekeyChunk = rekeyChunk;
        this.engine = Objects.requireNonNull(engine, "engine");
        this.customersNode = Objects.requireNonNull(customersNode, "customersNode");
        this.poolEventsNode = Objects.requireNonNull(poolEventsNode, "poolEventsNode");
        this.identityEventsNode = Objects.requireNonNull(identityEventsNode, "identityEventsNode");
        this.deadLetterNode = Objects.requireNonNull(deadLetterNode, "deadLetterNode");
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.index = context.getStateStore(IdentityStores.IDENTITY_INDEX);
        this.blocks = context.getStateStore(IdentityStores.IDENTITY_BLOCKS);
        this.customers = CustomerStore.in(context);
        this.seenLeads = context.getStateStore(IdentityStores.SEEN_LEADS);
        this.pool = PoolBook.in(context);
        this.fullBlocks = engine.profile().blockStopUnits()
                ? new FullBlocks(engine.profile().blockLimit())
                : FullBlocks.NONE;
        this.mergeRedirects = new MergeRedirects();
        IndexRekeying rekeying =
                new IndexRekeying(engine, index, blocks, customers, fullBlocks, mergeRedirects, rekeyChunk);
        if (rekeying.rekeying()) {
            log.info(
                    "identity index of task {} was built under key rules {}, not {}: re-keying its customers",
                    context.taskId(),
                    rekeying.builtUnder(),
                    KeyRules.VERSION);
            // Records may not be forwarded from init; a chunk at every punctuation, leads in between.
            Cancellable[] punctuation = new Cancellable[1];
            punctuation[0] = context.schedule(Duration.ofMillis(1), PunctuationType.WALL_CLOCK_TIME, now -> {
                if (!rekeying.next(Instant.ofEpochMilli(now), rekeyOutput(now))) {
                    punctuation[0].cancel();
                }
            });
        }
    }

    private IndexRekeying.Output rekeyOutput(long now) {
        return new IndexRekeying.Output() {
            @Override
            public void customer(CustomerSnapshot customer, byte[] encoded) {
                String key = Keys.customer(customer.getTenant(), customer.getCustomerId());
                context.forward(new Record<String, Object>(key, encoded, now), customersNode);
            }

            @Override
            public void event(IdentityEvent event) {
                String key = Keys.customer(event.getTenant(), event.getCustomerId());
                context.forward(new Record<String, Object>(key, event, now), identityEventsNode);
            }
        };
    }

    @Override
    public void process(Record<String, Lead> record) {
        if (!record.key().equals(record.value().getTenant())) {
            deadLetter(
                    record,
                    "lead of tenant '" + record.value().getTenant() + "' keyed by '" + record.key() + "'",
                    null);
            return;
        }
        try {
            resolve(record);
        } catch (KafkaException e) {
            throw e; // the runtime's own failures (fencing, migration) must reach Kafka Streams
        } catch (RuntimeException e) {
            // Reads come before writes in resolve(), so a failure leaves the stores untouched; one bad
            // lead must not stop every tenant on this partition.
            deadLetter(record, "cannot resolve lead: " + e, e);
        }
    }

    private void resolve(Record<String, Lead> record) {
        Lead lead = record.value();
        String tenant = record.key();
        if (isRepeated(tenant, lead)) {
            return;
        }
        Instant at = Instant.ofEpochMilli(record.timestamp());
        StoreMatchIndex tenantIndex = new StoreMatchIndex(tenant, index, blocks, fullBlocks, mergeRedirects);
        PreparedRecord prepared = engine.prepare(AvroMapping.fieldsOf(lead));
        Decision decision = engine.decide(prepared, tenantIndex);
        List<MatchKey> keys = AvroMapping.toAvro(prepared.matchKeys());
        CustomerSnapshot customer;
        if (decision.joined().isPresent()) {
            customer = joined(existing(tenant, decision.joined().get().customerId()), lead, keys, at);
            emit(record, customer, customers.save(customer), lead, at);
        } else {
            customer = pool.placeNew(CustomerSnapshot.newBuilder(founded(tenant, lead, keys, at)), lead, at);
        }
        engine.remember(prepared, customer.getCustomerId(), tenantIndex);
        seenLeads.put(IdentityStores.leadKey(tenant, lead.getLeadId()), customer.getCustomerId());
        reportFindings(record, customer, lead, decision, at);
    }

    private boolean isRepeated(String tenant, Lead lead) {
        return seenLeads.get(IdentityStores.leadKey(tenant, lead.getLeadId())) != null;
    }

    private CustomerSnapshot existing(String tenant, String customerId) {
        CustomerSnapshot customer = customers.get(tenant, customerId);
        if (customer == null) {
            throw new IllegalStateException("identity index names customer " + customerId + ", which is not stored");
        }
        return customer;
    }

    /** A new customer from its founding lead, before the pool lifecycle places it. */
    private CustomerSnapshot founded(String tenant, Lead lead, List<MatchKey> keys, Instant at) {
        return CustomerSnapshot.newBuilder()
                .setTenant(tenant)
                .setCustomerId(customerIdFor(tenant, lead.getLeadId()))
                .setVersion(1)
                .setCompany(
                        lead.getCompany() != null
                                ? lead.getCompany()
                                : Company.newBuilder().build())
                .setContacts(lead.getContact() != null ? List.of(lead.getContact()) : List.of())
                .setMatchKeys(keys)
                .setLeadIds(List.of(lead.getLeadId()))
                .setSource(lead.getSource())
                .setCampaign(lead.getCampaign())
                .setLevel(lead.getLevel())
                .setFirstLeadAt(lead.getReceivedAt())
                .setCreatedAt(at)
                .setUpdatedAt(at)
                .build();
    }

    /** The customer with the lead added; pool fields (owner, pool, deadlines) are kept as they are. */
    private static CustomerSnapshot joined(CustomerSnapshot existing, Lead lead, List<MatchKey> keys, Instant at) {
        List<String> leadIds = new ArrayList<>(existing.getLeadIds());
        leadIds.add(lead.getLeadId());
        List<MatchKey> matchKeys = new ArrayList<>(existing.getMatchKeys());
        keys.stream().filter(key -> !matchKeys.contains(key)).forEach(matchKeys::add);
        List<Contact> contacts = new ArrayList<>(existing.getContacts());
        if (lead.getContact() != null && !contacts.contains(lead.getContact())) {
            contacts.add(lead.getContact());
        }
        return CustomerSnapshot.newBuilder(existing)
                .setVersion(existing.getVersion() + 1)
                .setCompany(Customers.filledIn(existing.getCompany(), lead.getCompany()))
                .setLeadIds(leadIds)
                .setMatchKeys(matchKeys)
                .setContacts(contacts)
                .setUpdatedAt(at)
                .build();
    }

    private void emit(Record<String, Lead> record, CustomerSnapshot customer, byte[] encoded, Lead lead, Instant at) {
        String key = Keys.customer(customer.getTenant(), customer.getCustomerId());
        context.forward(record.withKey(key).withValue(encoded), customersNode);
        PoolEvent event = PoolEvent.newBuilder()
                .setEventId(customer.getCustomerId() + "#" + customer.getVersion())
                .setTenant(customer.getTenant())
                .setCustomerId(customer.getCustomerId())
                .setType(customer.getVersion() == 1 ? PoolEventType.CREATED : PoolEventType.LEAD_LINKED)
                .setReason("lead " + lead.getLeadId())
                .setOccurredAt(at)
                .build();
        context.forward(record.withKey(key).withValue(event), poolEventsNode);
    }

    private void reportFindings(
            Record<String, Lead> record, CustomerSnapshot customer, Lead lead, Decision decision, Instant at) {
        decision.joined().filter(match -> isCollision(customer, lead)).ifPresent(match -> {
            IdentityEvent collision = event(customer, lead, IdentityEventType.COLLISION, null, match.evidence(), at);
            collision.setIntendedOwner(lead.getIntendedOwner());
            forward(record, collision);
        });
        for (Match other : decision.mergeSuggestions()) {
            List<Evidence> evidence =
                    new ArrayList<>(decision.joined().orElseThrow().evidence());
            evidence.addAll(other.evidence());
            forward(
                    record,
                    event(customer, lead, IdentityEventType.MERGE_SUGGESTION, other.customerId(), evidence, at));
        }
        for (Match possible : decision.possibleDuplicates()) {
            forward(
                    record,
                    event(
                            customer,
                            lead,
                            IdentityEventType.POSSIBLE_DUPLICATE,
                            possible.customerId(),
                            possible.evidence(),
                            at));
        }
    }

    /** 撞单: the lead was meant for someone other than the salesperson who holds its customer. */
    static boolean isCollision(CustomerSnapshot customer, Lead lead) {
        String intended = lead.getIntendedOwner();
        return intended != null
                && !intended.isBlank()
                && customer.getOwner() != null
                && !customer.getOwner().equals(intended);
    }

    private static IdentityEvent event(
            CustomerSnapshot customer,
            Lead lead,
            IdentityEventType type,
            String otherCustomerId,
            List<Evidence> evidence,
            Instant at) {
        return IdentityEvent.newBuilder()
                .setEventId(customer.getCustomerId() + "#" + customer.getVersion() + "#" + type
                        + (otherCustomerId == null ? "" : "#" + otherCustomerId))
                .setTenant(customer.getTenant())
                .setCustomerId(customer.getCustomerId())
                .setType(type)
                .setLeadId(lead.getLeadId())
                .setOtherCustomerId(otherCustomerId)
                .setHolder(customer.getOwner())
                .setEvidence(AvroMapping.evidence(evidence))
                .setOccurredAt(at)
                .build();
    }

    private void forward(Record<String, Lead> record, IdentityEvent event) {
        String key = Keys.customer(event.getTenant(), event.getCustomerId());
        context.forward(record.withKey(key).withValue(event), identityEventsNode);
    }

    private void deadLetter(Record<String, Lead> record, String reason, Throwable cause) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        byte[] value = Topics.LEADS.valueSerde().serializer().serialize(source.topic(), record.value());
        DeadLetter letter = DeadLetters.of(
                source,
                record.key().getBytes(StandardCharsets.UTF_8),
                value,
                reason,
                cause,
                Instant.ofEpochMilli(record.timestamp()));
        context.forward(
                new Record<String, Object>(DeadLetters.key(source), letter, record.timestamp()), deadLetterNode);
    }

    /** See {@link CustomerIds}. */
    static String customerIdFor(String tenant, String leadId) {
        return CustomerIds.ofFoundingLead(tenant, leadId);
    }
}
