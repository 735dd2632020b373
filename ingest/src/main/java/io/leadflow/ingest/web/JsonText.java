package io.leadflow.ingest.web;

import java.nio.charset.StandardCharsets;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * The few JSON answers written on every accepted record, as text rather than through Jackson's encoder: for a
 * two-field object the encoder's generator, its buffers and the writer lookup cost more than the rest of the
 * answer. Strings are quoted as Jackson quotes them.
 */
public final class JsonText {

    private JsonText() {}

    /** Whether {@code value} stands in a JSON string as it is: printable ASCII without quote and backslash. */
    public static boolean isPlain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** The answer to an accepted record, {@code {"<idName>":"<id>","tenant":"<tenant>"}}, in UTF-8. */
    public static byte[] accepted(String idName, String id, String tenant) {
        StringBuilder json = new StringBuilder(32 + id.length() + tenant.length());
        json.append("{\"").append(idName).append("\":");
        string(id, json);
        json.append(",\"tenant\":");
        string(tenant, json);
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Appends {@code value} as a JSON string. */
    public static void string(String value, StringBuilder json) {
        json.append('"');
        if (isPlain(value)) {
            json.append(value);
        } else {
            JsonStringEncoder.getInstance().quoteAsString(value, json);
        }
        json.append('"');
    }
}
