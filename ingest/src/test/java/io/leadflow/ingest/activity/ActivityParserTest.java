package io.leadflow.ingest.activity;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.Activity;
import io.leadflow.avro.ActivityKind;
import io.leadflow.avro.FollowUpType;
import io.leadflow.ingest.auth.Caller;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

class ActivityParserTest {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final Caller CALLER = new Caller("acme", "crm");
    private static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");

    private final ActivityParser parser = new ActivityParser();

    @Test
    void readsAFollowUpOfALeadsCustomer() {
        Activity activity = parse("{\"activityId\":\"a-1\",\"leadId\":\"web-1\",\"kind\":\"follow_up\","
                        + "\"followUpType\":\"visit\",\"actor\":\"u-7\",\"note\":\"拜访\"}")
                .activity();

        assertThat(activity.getActivityId()).isEqualTo("a-1");
        assertThat(activity.getTenant()).isEqualTo("acme");
        assertThat(activity.getLeadId()).isEqualTo("web-1");
        assertThat(activity.getCustomerId()).isNull();
        assertThat(activity.getKind()).isEqualTo(ActivityKind.FOLLOW_UP);
        assertThat(activity.getFollowUpType()).isEqualTo(FollowUpType.VISIT);
        assertThat(activity.getOccurredAt()).isEqualTo(NOW);
    }

    @Test
    void keepsAmountsAtScaleTwoWithoutGoingThroughADouble() {
        assertThat(parse("{\"customerId\":\"c\",\"kind\":\"WON\",\"amount\":1234567890123456.78}")
                        .activity()
                        .getAmount())
                .isEqualTo(new BigDecimal("1234567890123456.78"));
        assertThat(parse("{\"customerId\":\"c\",\"kind\":\"WON\",\"amount\":\"5\"}")
                        .activity()
                        .getAmount())
                .isEqualTo(new BigDecimal("5.00"));
    }

    @Test
    void usesTheGivenIdWhenTheSenderGivesNone() {
        assertThat(parse("{\"customerId\":\"c\",\"kind\":\"LOST\"}").activity().getActivityId())
                .isEqualTo("assigned");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void validatesEachRule(String body, String field, String message) {
        ActivityParser.Result result = parse(body);

        if ("-".equals(field)) {
            assertThat(result.errors()).as("accepted").isEmpty();
        } else {
            assertThat(result.activity()).isNull();
            assertThat(result.errors()).anySatisfy(error -> {
                assertThat(error.field()).isEqualTo(field);
                assertThat(error.message()).contains(message);
            });
        }
    }

    static Stream<Arguments> cases() throws IOException {
        return Files.readAllLines(Path.of("src/test/resources/activities.tsv"), StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("\t", -1))
                .map(columns -> Arguments.of(columns[0], columns[1], columns[2]));
    }

    private ActivityParser.Result parse(String json) {
        return parser.parse(JSON.readTree(json), CALLER, NOW, () -> "assigned");
    }
}
