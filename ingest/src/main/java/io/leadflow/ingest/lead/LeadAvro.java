package io.leadflow.ingest.lead;

import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.Lead;
import io.leadflow.schemas.Topics;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads {@code application/avro} bodies: one lead in single-object encoding, any kept schema version. The
 * lead goes through the same validation as a JSON one, so it is turned back into the JSON lead first; its
 * tenant, source system and received-at are the server's to set, so a tenant it names is kept as a free
 * attribute like a tenant in a JSON body.
 */
final class LeadAvro {

    private LeadAvro() {}

    /**
     * @throws org.apache.kafka.common.errors.SerializationException if the bytes are no single-object
     *     encoded lead
     */
    static ObjectNode toJson(byte[] body) {
        Lead lead = Topics.LEADS.valueSerde().deserializer().deserialize(Topics.LEADS.name(), body);
        if (lead == null) {
            throw new org.apache.kafka.common.errors.SerializationException("the body is empty");
        }
        ObjectNode json = LeadIntake.JSON.createObjectNode();
        put(json, "leadId", lead.getLeadId());
        put(json, "source", lead.getSource());
        put(json, "campaign", lead.getCampaign());
        put(json, "intendedOwner", lead.getIntendedOwner());
        put(json, "level", lead.getLevel());
        Company company = lead.getCompany();
        if (company != null) {
            ObjectNode node = json.putObject("company");
            put(node, "name", company.getName());
            put(node, "creditCode", company.getCreditCode());
            put(node, "website", company.getWebsite());
            put(node, "industry", company.getIndustry());
            put(node, "address", company.getAddress());
        }
        Contact contact = lead.getContact();
        if (contact != null) {
            ObjectNode node = json.putObject("contact");
            put(node, "name", contact.getName());
            put(node, "title", contact.getTitle());
            put(node, "phone", contact.getPhone());
            put(node, "mobile", contact.getMobile());
            put(node, "email", contact.getEmail());
        }
        ObjectNode attributes = json.putObject("attributes");
        for (Map.Entry<String, String> attribute : lead.getAttributes().entrySet()) {
            attributes.put(attribute.getKey(), attribute.getValue());
        }
        if (lead.getTenant() != null && !lead.getTenant().isEmpty()) {
            attributes.put("tenant", lead.getTenant());
        }
        return json;
    }

    private static void put(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }
}
