package io.leadflow.ingest.lead;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.ingest.web.FieldError;
import io.leadflow.ingest.web.JsonText;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The answers written as text say to the byte what Jackson would have written. */
class OutcomeTextTest {

    private static final List<String> TEXTS = List.of(
            "crm-42",
            "0196b0f2-6c1e-7a3b-9c4d-5e6f7a8b9c0d",
            "A-Za-z0-9._:@/+-",
            "",
            "with \"quotes\"",
            "back\\slash",
            "tab\tand\nnew line",
            "\u0001\u001f\u007f",
            "上海星云",
            "é ü ß",
            "\u2028\u2029",
            "emoji \uD83D\uDE00",
            "</script>");

    @Test
    void acceptedLinesAreJacksonsLines() {
        long[] positions = {1, 2, 99, 100_000, Long.MAX_VALUE};
        for (String id : TEXTS) {
            for (long position : positions) {
                LeadOutcome outcome = LeadOutcome.accepted(position, id);
                StringBuilder text = new StringBuilder();

                LeadHandler.ndjsonLine(outcome, text);

                assertThat(text.toString())
                        .isEqualTo(LeadIntake.JSON.writeValueAsString(LeadHandler.LineOutcome.of(outcome)) + "\n");
            }
        }
    }

    @Test
    void otherLinesStillGoThroughJackson() {
        LeadOutcome refused = LeadOutcome.refused(3, List.of(new FieldError("contact.email", "is not an e-mail")));
        LeadOutcome notStored = LeadOutcome.notStored(4, "l-4", new IllegalStateException("broker \"gone\""));

        assertThat(LeadHandler.ndjson(List.of(refused, notStored)))
                .isEqualTo("{\"line\":3,\"status\":\"refused\",\"errors\":[{\"field\":\"contact.email\",\"message\":"
                        + "\"is not an e-mail\"}]}\n"
                        + "{\"line\":4,\"status\":\"not-stored\",\"leadId\":\"l-4\",\"detail\":\"the broker did not"
                        + " acknowledge the lead: java.lang.IllegalStateException: broker \\\"gone\\\"\"}\n");
    }

    @Test
    void acceptedAnswersAreJacksonsAnswers() {
        for (String id : TEXTS) {
            for (String tenant : TEXTS) {
                Map<String, String> answer = new LinkedHashMap<>();
                answer.put("leadId", id);
                answer.put("tenant", tenant);

                assertThat(new String(JsonText.accepted("leadId", id, tenant), StandardCharsets.UTF_8))
                        .isEqualTo(LeadIntake.JSON.writeValueAsString(answer));
            }
        }
    }
}
