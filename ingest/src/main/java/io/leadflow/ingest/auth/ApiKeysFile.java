package io.leadflow.ingest.auth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the API keys file: one key a line, {@code sha256 tenant source [permissions=LEADS,ACTIVITIES]
 * [rate=50] [burst=100]}, separated by blanks; {@code #} starts a comment. Operators rotate a key by
 * adding the new line, moving the upstream system over, then deleting the old line; no restart.
 */
final class ApiKeysFile {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern BLANKS = Pattern.compile("\\s+");

    private ApiKeysFile() {}

    /**
     * @throws IllegalArgumentException naming the first bad line; the caller keeps the keys it had
     */
    static List<ApiKeyProperties> parse(List<String> lines) {
        List<ApiKeyProperties> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = stripComment(lines.get(i)).strip();
            if (!line.isEmpty()) {
                try {
                    keys.add(parseLine(line));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
                }
            }
        }
        return keys;
    }

    private static ApiKeyProperties parseLine(String line) {
        String[] columns = BLANKS.split(line);
        if (columns.length < 3) {
            throw new IllegalArgumentException("expected 'sha256 tenant source [name=value ...]'");
        }
        if (!SHA256.matcher(columns[0]).matches()) {
            throw new IllegalArgumentException("'" + columns[0] + "' is not a hex SHA-256");
        }
        Set<Permission> permissions = Set.of();
        Double rate = null;
        Integer burst = null;
        for (String option : Arrays.asList(columns).subList(3, columns.length)) {
            int equals = option.indexOf('=');
            String name = equals < 0 ? option : option.substring(0, equals);
            String value = equals < 0 ? "" : option.substring(equals + 1);
            switch (name) {
                case "permissions" -> permissions = permissions(value);
                case "rate" -> rate = Double.valueOf(value);
                case "burst" -> burst = Integer.valueOf(value);
                default ->
                    throw new IllegalArgumentException(
                            "unknown option '" + name + "'; expected permissions, rate or burst");
            }
        }
        new Caller(columns[1], columns[2]);
        return new ApiKeyProperties(
                columns[0].toLowerCase(Locale.ROOT), columns[1], columns[2], permissions, rate, burst);
    }

    private static Set<Permission> permissions(String value) {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (String name : value.split(",")) {
            permissions.add(Permission.valueOf(name.strip().toUpperCase(Locale.ROOT)));
        }
        return permissions;
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }
}
