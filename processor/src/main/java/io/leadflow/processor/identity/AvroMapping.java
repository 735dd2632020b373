package io.leadflow.processor.identity;

import io.leadflow.avro.CheckDuplicate;
import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.Lead;
import io.leadflow.avro.MatchEvidence;
import io.leadflow.avro.MatchKeyKind;
import io.leadflow.matching.Evidence;
import io.leadflow.matching.KeyKind;
import io.leadflow.matching.LeadFields;
import io.leadflow.matching.MatchKey;
import io.leadflow.matching.Role;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Between the Avro contract and the matching engine's plain types. */
final class AvroMapping {

    private AvroMapping() {}

    static LeadFields fieldsOf(Lead lead) {
        return fieldsOf(lead.getCompany(), lead.getContact());
    }

    /** The fields of a company with one of its contacts; either may be null. */
    static LeadFields fieldsOf(Company company, Contact contact) {
        return new LeadFields(
                company == null ? null : company.getName(),
                company == null ? null : company.getCreditCode(),
                contact == null ? null : contact.getEmail(),
                contact == null ? null : contact.getPhone(),
                contact == null ? null : contact.getMobile(),
                company == null ? null : company.getWebsite());
    }

    static LeadFields fieldsOf(CheckDuplicate check) {
        return new LeadFields(
                check.getName(), check.getCreditCode(), check.getEmail(), check.getPhone(), null, check.getWebsite());
    }

    static io.leadflow.avro.MatchKey toAvro(MatchKey key) {
        return new io.leadflow.avro.MatchKey(kindOf(key.kind().name()), key.value());
    }

    static List<io.leadflow.avro.MatchKey> toAvro(Collection<MatchKey> keys) {
        return keys.stream().map(AvroMapping::toAvro).toList();
    }

    /** The engine's key for a stored one; none for a kind this version does not know. */
    static Optional<MatchKey> fromAvro(io.leadflow.avro.MatchKey key) {
        if (key.getKind() == MatchKeyKind.UNKNOWN || key.getValue().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new MatchKey(KeyKind.valueOf(key.getKind().name()), key.getValue()));
    }

    static List<MatchEvidence> evidence(Collection<Evidence> evidence) {
        return evidence.stream()
                .map(item -> MatchEvidence.newBuilder()
                        .setKind(kindOf(item.kind()))
                        .setValue(item.value())
                        .setScore(item.score())
                        .setRule(item.rule())
                        .build())
                .toList();
    }

    /** Exact key kinds map by name; a compared organisation name is NAME evidence; anything else UNKNOWN. */
    static MatchKeyKind kindOf(String kind) {
        if (kind.equals(Role.ORGANISATION_NAME.name())) {
            return MatchKeyKind.NAME;
        }
        for (MatchKeyKind candidate : MatchKeyKind.values()) {
            if (candidate.name().equals(kind)) {
                return candidate;
            }
        }
        return MatchKeyKind.UNKNOWN;
    }
}
