package io.leadflow.ingest.imports;

import io.leadflow.ingest.web.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * Which CSV column feeds which lead field: {@code header name → field} ({@code company.name},
 * {@code contact.mobile}, {@code attributes.budget}, …). Columns named like a field map to it without being
 * mentioned; every other column is kept as a free attribute under its header, as unknown JSON fields are.
 */
record ColumnMapping(Map<String, String> fieldsByHeader) {

    static final Set<String> FIELDS = Set.of(
            "leadId",
            "source",
            "campaign",
            "intendedOwner",
            "level",
            "company.name",
            "company.creditCode",
            "company.website",
            "company.industry",
            "company.address",
            "contact.name",
            "contact.title",
            "contact.phone",
            "contact.mobile",
            "contact.email");
    private static final String ATTRIBUTES = "attributes.";

    ColumnMapping {
        fieldsByHeader = Map.copyOf(fieldsByHeader);
    }

    /** The problems of a mapping given by a client, each named {@code mapping.<header>}. */
    static List<FieldError> problems(Map<String, String> fieldsByHeader) {
        List<FieldError> errors = new ArrayList<>();
        fieldsByHeader.forEach((header, field) -> {
            if (!isField(field)) {
                errors.add(new FieldError(
                        "mapping." + header,
                        "'" + field + "' is not a lead field; expected one of " + FIELDS + " or attributes.<name>"));
            }
        });
        return errors;
    }

    /** The problems of applying this mapping to a file with {@code headers}. */
    List<FieldError> problemsWith(List<String> headers) {
        List<FieldError> errors = new ArrayList<>();
        fieldsByHeader.keySet().stream()
                .filter(header -> !headers.contains(header))
                .forEach(header -> errors.add(new FieldError("mapping." + header, "the file has no such column")));
        return errors;
    }

    /** The target of each column, by position: a lead field path. */
    List<String> targets(List<String> headers) {
        List<String> targets = new ArrayList<>(headers.size());
        for (String header : headers) {
            String mapped = fieldsByHeader.get(header);
            if (mapped != null) {
                targets.add(mapped);
            } else if (FIELDS.contains(header)) {
                targets.add(header);
            } else {
                targets.add(ATTRIBUTES + header);
            }
        }
        return targets;
    }

    /** Puts {@code value} at {@code target} of a JSON lead; blank values are left out. */
    static void put(ObjectNode lead, String target, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        int dot = target.indexOf('.');
        if (dot < 0) {
            lead.put(target, value);
            return;
        }
        String parent = target.substring(0, dot);
        ObjectNode node = lead.get(parent) instanceof ObjectNode existing ? existing : lead.putObject(parent);
        node.put(target.substring(dot + 1), value);
    }

    private static boolean isField(String field) {
        return FIELDS.contains(field) || field.startsWith(ATTRIBUTES) && field.length() > ATTRIBUTES.length();
    }

    static Map<String, String> empty() {
        return new LinkedHashMap<>();
    }
}
