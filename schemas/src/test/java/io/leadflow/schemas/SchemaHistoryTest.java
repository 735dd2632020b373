package io.leadflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.Lead;
import io.leadflow.avro.MatchKeyKind;
import io.leadflow.avro.PoolEventType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schema compatibility gate: a schema change that is not snapshotted, or that old readers or
 * old data could not cope with, fails the build.
 *
 * <p>After a compatible change, write the new snapshots with {@code ./mvnw -pl schemas test
 * -Dtest=SchemaHistoryTest -Dleadflow.schemas.writeSnapshots=true}.
 */
class SchemaHistoryTest {

    private static final Path AVRO_SOURCES = Path.of("src/main/avro");
    private static final Path HISTORY = Path.of("src/main/resources", SchemaHistory.ROOT);
    private static final String NAMESPACE = "io.leadflow.avro";

    /** Every generated record class, found from the .avsc sources so a new record cannot be forgotten. */
    static Stream<Class<? extends SpecificRecord>> generatedRecords() throws IOException {
        List<Class<? extends SpecificRecord>> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(AVRO_SOURCES)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString().replaceFirst("\\.avsc$", "");
                Class<?> type = classOf(name);
                if (SpecificRecord.class.isAssignableFrom(type)) {
                    records.add(type.asSubclass(SpecificRecord.class));
                }
            }
        }
        assertThat(records).hasSizeGreaterThan(20);
        return records.stream();
    }

    @ParameterizedTest
    @MethodSource("generatedRecords")
    void currentSchemaIsTheNewestKeptVersion(Class<? extends SpecificRecord> type) {
        Schema current = SchemaHistory.currentSchema(type);

        assertThat(SchemaHistory.snapshotProblems(current, SchemaHistory.versions(type)))
                .as("run with -Dleadflow.schemas.writeSnapshots=true to add the snapshot")
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("generatedRecords")
    void currentSchemaReadsAndIsReadByEveryKeptVersion(Class<? extends SpecificRecord> type) {
        Schema current = SchemaHistory.currentSchema(type);

        assertThat(SchemaHistory.incompatibilities(current, SchemaHistory.versions(type)))
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("generatedRecords")
    void keptVersionsAreNumberedWithoutGaps(Class<? extends SpecificRecord> type) throws IOException {
        String name = SchemaHistory.currentSchema(type).getName();
        long onDisk;
        try (Stream<Path> files = Files.list(HISTORY.resolve(name))) {
            onDisk = files.filter(file -> file.toString().endsWith(".avsc")).count();
        }

        assertThat(SchemaHistory.versions(type)).hasSize((int) onDisk);
    }

    @Test
    void reportsANewFieldWithoutDefaultAsBreaking() {
        Schema breaking = withField(Lead.getClassSchema(), new Field("region", Schema.create(Schema.Type.STRING)));

        assertThat(SchemaHistory.incompatibilities(breaking, SchemaHistory.versions(Lead.class)))
                .anySatisfy(problem -> assertThat(problem)
                        .contains("current cannot read v1")
                        .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                        .contains("region"));
    }

    @Test
    void reportsARenamedFieldAsBreaking() {
        Schema renamed = renameField(Lead.getClassSchema(), "sourceSystem", "upstreamSystem");

        assertThat(SchemaHistory.incompatibilities(renamed, SchemaHistory.versions(Lead.class)))
                .anySatisfy(problem -> assertThat(problem).contains("current cannot read v1"))
                .anySatisfy(problem -> assertThat(problem).contains("v1 cannot read current"));
    }

    @Test
    void acceptsANewOptionalFieldWithDefault() {
        Schema evolved = withField(
                Lead.getClassSchema(),
                new Field(
                        "region",
                        Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                        "Sales region.",
                        JsonProperties.NULL_VALUE));

        assertThat(SchemaHistory.incompatibilities(evolved, SchemaHistory.versions(Lead.class)))
                .isEmpty();
        assertThat(SchemaHistory.snapshotProblems(evolved, SchemaHistory.versions(Lead.class)))
                .anySatisfy(problem -> assertThat(problem).contains("avro-history/Lead/v2.avsc"));
    }

    @Test
    void acceptsANewSymbolInAnEnumWithADefault() {
        Schema kinds = withSymbol(MatchKeyKind.getClassSchema(), "TAX_NUMBER");

        assertThat(SchemaHistory.incompatibilities(kinds, List.of(MatchKeyKind.getClassSchema())))
                .isEmpty();
    }

    @Test
    void reportsANewSymbolInAnEnumWithoutADefaultAsBreakingForOldReaders() {
        Schema types = withSymbol(PoolEventType.getClassSchema(), "ARCHIVED");

        assertThat(SchemaHistory.incompatibilities(types, List.of(PoolEventType.getClassSchema())))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("v1 cannot read current")
                .contains("ARCHIVED");
    }

    @Test
    void requiresANewSnapshotWhenOnlyADefaultChanges() {
        Schema current = CustomerSnapshot.getClassSchema();
        Schema otherDefault =
                new Schema.Parser().parse(current.toString().replace("\"default\":\"NEW\"", "\"default\":\"OPEN\""));

        assertThat(SchemaHistory.fingerprint(otherDefault)).isEqualTo(SchemaHistory.fingerprint(current));
        assertThat(SchemaHistory.snapshotProblems(otherDefault, SchemaHistory.versions(CustomerSnapshot.class)))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("differs from the newest kept version v");
    }

    /** Not a check: writes the missing snapshots after a deliberate, compatible schema change. */
    @Test
    @EnabledIfSystemProperty(named = "leadflow.schemas.writeSnapshots", matches = "true")
    void writeMissingSnapshots() throws IOException {
        for (Class<? extends SpecificRecord> type : generatedRecords().toList()) {
            Schema current = SchemaHistory.currentSchema(type);
            List<Schema> kept = SchemaHistory.versions(type);
            if (!SchemaHistory.snapshotProblems(current, kept).isEmpty()) {
                Path file =
                        Path.of("src/main/resources", SchemaHistory.resourcePath(current.getName(), kept.size() + 1));
                Files.createDirectories(file.getParent());
                Files.writeString(file, current.toString(true) + "\n");
            }
        }
    }

    private static Class<?> classOf(String name) {
        try {
            return Class.forName(NAMESPACE + "." + name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("No generated class for " + name + ".avsc", e);
        }
    }

    private static Schema withField(Schema record, Field added) {
        List<Field> fields = copyFields(record);
        fields.add(added);
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

    private static Schema renameField(Schema record, String from, String to) {
        List<Field> fields = new ArrayList<>();
        for (Field field : record.getFields()) {
            fields.add(new Field(
                    field.name().equals(from) ? to : field.name(), field.schema(), field.doc(), field.defaultVal()));
        }
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

    private static List<Field> copyFields(Schema record) {
        List<Field> fields = new ArrayList<>();
        for (Field field : record.getFields()) {
            fields.add(new Field(field, field.schema()));
        }
        return fields;
    }

    private static Schema withSymbol(Schema enumSchema, String symbol) {
        List<String> symbols = new ArrayList<>(enumSchema.getEnumSymbols());
        symbols.add(symbol);
        return Schema.createEnum(
                enumSchema.getName(),
                enumSchema.getDoc(),
                enumSchema.getNamespace(),
                symbols,
                enumSchema.getEnumDefault());
    }
}
