package io.leadflow.processor.identity;

import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.Lead;
import java.time.Instant;
import java.util.Map;

/** Test fixture: {@code aLead("l-1").withEmail("a@b.example").build()}. */
final class Leads {

    private final Lead.Builder lead;
    private final Contact.Builder contact = Contact.newBuilder();
    private final Company.Builder company = Company.newBuilder();

    private Leads(String leadId) {
        this.lead = Lead.newBuilder()
                .setLeadId(leadId)
                .setTenant("acme")
                .setSourceSystem("web-form")
                .setAttributes(Map.of())
                .setReceivedAt(Instant.parse("2026-11-27T08:00:00Z"));
    }

    static Leads aLead(String leadId) {
        return new Leads(leadId);
    }

    Leads ofTenant(String tenant) {
        lead.setTenant(tenant);
        return this;
    }

    Leads withEmail(String email) {
        contact.setEmail(email);
        return this;
    }

    Leads withPhone(String phone) {
        contact.setPhone(phone);
        return this;
    }

    Leads withMobile(String mobile) {
        contact.setMobile(mobile);
        return this;
    }

    Leads withContactName(String name) {
        contact.setName(name);
        return this;
    }

    Leads withCompany(String name) {
        company.setName(name);
        return this;
    }

    Leads withCreditCode(String creditCode) {
        company.setCreditCode(creditCode);
        return this;
    }

    Leads withWebsite(String website) {
        company.setWebsite(website);
        return this;
    }

    Leads forOwner(String intendedOwner) {
        lead.setIntendedOwner(intendedOwner);
        return this;
    }

    Lead build() {
        return lead.setContact(contact.build()).setCompany(company.build()).build();
    }
}
