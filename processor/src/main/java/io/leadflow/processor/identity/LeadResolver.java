package io.leadflow.processor.identity;

import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.DeadLetter;
import io.leadflow.avro.Lead;
import io.leadflow.avro.MatchKey;
import io.leadflow.avro.MatchKeyKind;
import io.leadflow.avro.PoolEvent;
import io.leadflow.avro.PoolEventType;
import io.leadflow.matching.EmailNormalizer;
import io.leadflow.processor.deadletter.DeadLetters;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns each lead into a customer: the lead joins the tenant's existing customer that holds one of its
 * match keys, or founds a new one. A lead id seen before changes nothing, so upstream retries are safe.
 * Every change is written as a new customer snapshot (with an incremented version) and a pool event.
 *
 * <p>Match keys so far: the normalised e-mail address.
 */
final class LeadResolver implements Processor<String, Lead, String, Object> {

    private final String customersNode;
    private final String poolEventsNode;
    private final String deadLetterNode;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, String> index;
    private KeyValueStore<String, CustomerSnapshot> customers;
    private KeyValueStore<String, String> seenLeads;

    LeadResolver(String customersNode, String poolEventsNode, String deadLetterNode) {
        this.customersNode = Objects.requireNonNull(customersNode, "customersNode");
        this.poolEventsNode = Objects.requireNonNull(poolEventsNode, "poolEventsNode");
        this.deadLetterNode = Objects.requireNonNull(deadLetterNode, "deadLetterNode");
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.index = context.getStateStore(IdentityStores.IDENTITY_INDEX);
        this.customers = context.getStateStore(IdentityStores.CUSTOMERS);
        this.seenLeads = context.getStateStore(IdentityStores.SEEN_LEADS);
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
        List<MatchKey> keys = matchKeys(lead);
        CustomerSnapshot customer = findMatch(tenant, keys)
                .map(existing -> linkLead(existing, lead, keys, at))
                .orElseGet(() -> createCustomer(tenant, lead, keys, at));
        rememberKeys(tenant, customer);
        seenLeads.put(IdentityStores.leadKey(tenant, lead.getLeadId()), customer.getCustomerId());
        customers.put(Keys.customer(tenant, customer.getCustomerId()), customer);
        emit(record, customer, lead, at);
    }

    private boolean isRepeated(String tenant, Lead lead) {
        return seenLeads.get(IdentityStores.leadKey(tenant, lead.getLeadId())) != null;
    }

    static List<MatchKey> matchKeys(Lead lead) {
        List<MatchKey> keys = new ArrayList<>();
        Optional.ofNullable(lead.getContact())
                .map(Contact::getEmail)
                .flatMap(EmailNormalizer::normalize)
                .ifPresent(email -> keys.add(new MatchKey(MatchKeyKind.EMAIL, email)));
        return keys;
    }

    private Optional<CustomerSnapshot> findMatch(String tenant, List<MatchKey> keys) {
        for (MatchKey key : keys) {
            String customerId =
                    index.get(IdentityStores.indexKey(tenant, key.getKind().name(), key.getValue()));
            if (customerId != null) {
                return Optional.ofNullable(customers.get(Keys.customer(tenant, customerId)));
            }
        }
        return Optional.empty();
    }

    private static CustomerSnapshot createCustomer(String tenant, Lead lead, List<MatchKey> keys, Instant at) {
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

    private static CustomerSnapshot linkLead(CustomerSnapshot existing, Lead lead, List<MatchKey> keys, Instant at) {
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
                .setLeadIds(leadIds)
                .setMatchKeys(matchKeys)
                .setContacts(contacts)
                .setUpdatedAt(at)
                .build();
    }

    private void rememberKeys(String tenant, CustomerSnapshot customer) {
        for (MatchKey key : customer.getMatchKeys()) {
            String indexKey = IdentityStores.indexKey(tenant, key.getKind().name(), key.getValue());
            if (index.get(indexKey) == null) {
                index.put(indexKey, customer.getCustomerId());
            }
        }
    }

    private void emit(Record<String, Lead> record, CustomerSnapshot customer, Lead lead, Instant at) {
        String key = Keys.customer(customer.getTenant(), customer.getCustomerId());
        context.forward(record.withKey(key).withValue(customer), customersNode);
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

    /**
     * A customer's id is derived from the lead that founded it, so reprocessing the same input after a
     * crash yields the same ids.
     */
    static String customerIdFor(String tenant, String leadId) {
        return UUID.nameUUIDFromBytes((tenant + "/" + leadId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
