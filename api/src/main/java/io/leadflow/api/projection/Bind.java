package io.leadflow.api.projection;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;

/** Binding helpers shared by the projectors. */
final class Bind {

    private Bind() {}

    static <T> DatabaseClient.GenericExecuteSpec nullable(
            DatabaseClient.GenericExecuteSpec spec, String name, T value, Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    static DatabaseClient.GenericExecuteSpec instant(
            DatabaseClient.GenericExecuteSpec spec, String name, Instant value) {
        return nullable(spec, name, value == null ? null : value.atOffset(ZoneOffset.UTC), OffsetDateTime.class);
    }
}
