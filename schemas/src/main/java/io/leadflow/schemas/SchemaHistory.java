package io.leadflow.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The kept versions of every record schema, and the rules a schema change must obey.
 *
 * <p>Every version of a record that may ever have been written to Kafka is kept as a self-contained
 * schema at {@code avro-history/<RecordName>/v1.avsc}, {@code v2.avsc}, … on the classpath, numbered
 * without gaps. The current schema must be the newest kept version, and must be both backward
 * compatible (it reads what every kept version wrote) and forward compatible (every kept version
 * reads what it writes), so producers and consumers can be upgraded in any order.
 */
public final class SchemaHistory {

    /** Classpath folder that holds one sub-folder of {@code vN.avsc} files per record. */
    public static final String ROOT = "avro-history";

    private SchemaHistory() {}

    /** The schema the generated class {@code type} reads and writes. */
    public static Schema currentSchema(Class<? extends SpecificRecord> type) {
        return SpecificData.get().getSchema(type);
    }

    /** The kept versions of {@code type}'s record, oldest first; empty when none is kept. */
    public static List<Schema> versions(Class<? extends SpecificRecord> type) {
        return versions(currentSchema(type).getName(), SchemaHistory.class.getClassLoader());
    }

    /**
     * The kept versions of the record named {@code recordName}, oldest first, read from {@code
     * loader}'s {@code avro-history/<recordName>/vN.avsc} for N = 1, 2, … until the first missing one.
     */
    public static List<Schema> versions(String recordName, ClassLoader loader) {
        List<Schema> versions = new ArrayList<>();
        for (int version = 1; ; version++) {
            String path = resourcePath(recordName, version);
            try (InputStream in = loader.getResourceAsStream(path)) {
                if (in == null) {
                    return List.copyOf(versions);
                }
                // A fresh parser per file: every snapshot defines its nested types again.
                versions.add(new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read schema history " + path, e);
            }
        }
    }

    /** Classpath path of version {@code version} of {@code recordName}. */
    public static String resourcePath(String recordName, int version) {
        return ROOT + "/" + recordName + "/v" + version + ".avsc";
    }

    /** The CRC-64-AVRO fingerprint of the schema's parsing canonical form, as single-object encoding writes it. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** The fingerprint as 16 hex digits, most significant first. */
    public static String fingerprintHex(long fingerprint) {
        return HexFormat.of().toHexDigits(fingerprint);
    }

    /**
     * Why {@code current} is not properly snapshotted in {@code kept}; empty when it is.
     *
     * <p>Two checks, because the fingerprint ignores docs, defaults and logical types: a kept version
     * must have the current fingerprint (or readers could not find the writer schema), and the newest
     * kept version must equal the current schema (so a changed default or logical type also forces a
     * new snapshot).
     */
    public static List<String> snapshotProblems(Schema current, List<Schema> kept) {
        List<String> problems = new ArrayList<>();
        String name = current.getName();
        if (kept.isEmpty()) {
            problems.add(name + ": no kept version; add " + resourcePath(name, 1));
            return problems;
        }
        long fingerprint = fingerprint(current);
        if (kept.stream().noneMatch(schema -> fingerprint(schema) == fingerprint)) {
            problems.add(name + ": current schema (fingerprint " + fingerprintHex(fingerprint) + ") is not kept; add "
                    + resourcePath(name, kept.size() + 1));
        }
        Schema newest = kept.get(kept.size() - 1);
        if (!newest.equals(current)) {
            problems.add(name + ": current schema differs from the newest kept version v" + kept.size() + "; add "
                    + resourcePath(name, kept.size() + 1));
        }
        return problems;
    }

    /**
     * Every way in which {@code current} cannot read data written by a kept version (backward) or a
     * kept version cannot read data written by {@code current} (forward); empty when compatible with
     * all of them.
     */
    public static List<String> incompatibilities(Schema current, List<Schema> kept) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            String version = "v" + (i + 1);
            Schema old = kept.get(i);
            describe(problems, current.getName() + " current cannot read " + version, current, old);
            describe(problems, current.getName() + " " + version + " cannot read current", old, current);
        }
        return problems;
    }

    private static void describe(List<String> problems, String prefix, Schema reader, Schema writer) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            problems.add(prefix + ": " + incompatibility.getType() + " at " + incompatibility.getLocation() + ": "
                    + incompatibility.getMessage());
        }
    }
}
