package io.leadflow.ingest.lead;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.Lead;
import io.leadflow.ingest.auth.Caller;
import io.leadflow.ingest.web.FieldError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LeadParserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Caller CALLER = new Caller("acme", "web-form");
    private static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");

    private final LeadParser parser = new LeadParser();

    @Test
    void readsTheDocumentedLead() {
        LeadParser.Result result = parse("""
                { "leadId": "crm-42", "source": "web-form", "campaign": "2026-spring-expo",
                  "company": { "name": "上海星云科技有限公司", "creditCode": "91310000MA1FL0007C",
                               "website": "https://www.example.cn", "industry": "manufacturing", "address": "浦东" },
                  "contact": { "name": "王伟", "title": "采购经理", "phone": "021-6000 0000",
                               "mobile": "+86 138 0013 8000", "email": "wang.wei@example.cn" },
                  "intendedOwner": "u-7", "level": "a",
                  "attributes": { "budget": 50000, "utm": { "medium": "cpc" } } }
                """);

        assertThat(result.errors()).isEmpty();
        Lead lead = result.lead();
        assertThat(lead.getLeadId()).isEqualTo("crm-42");
        assertThat(lead.getTenant()).isEqualTo("acme");
        assertThat(lead.getSourceSystem()).isEqualTo("web-form");
        assertThat(lead.getCompany().getCreditCode()).isEqualTo("91310000MA1FL0007C");
        assertThat(lead.getContact().getMobile()).isEqualTo("+86 138 0013 8000");
        assertThat(lead.getLevel()).isEqualTo("A");
        assertThat(lead.getIntendedOwner()).isEqualTo("u-7");
        assertThat(lead.getAttributes()).containsEntry("budget", "50000").containsEntry("utm", "{\"medium\":\"cpc\"}");
        assertThat(lead.getReceivedAt()).isEqualTo(NOW);
    }

    /**
     * The parser makes its records with their setters, not their builders: a builder's own checks (every field set,
     * none of the required ones null) must pass on what it makes, a full lead and a minimal one alike.
     */
    @Test
    void makesRecordsTheirBuildersAccept() {
        for (String body : List.of(
                "{\"company\":{\"name\":\"星云\"}}",
                "{\"contact\":{\"email\":\"a@acme.example\"},\"attributes\":{\"x\":1}}",
                "{\"leadId\":\"l-1\",\"source\":\"expo\",\"campaign\":\"c\",\"company\":{\"name\":\"Ａｃｍｅ\","
                        + "\"website\":\"acme.example\"},\"contact\":{\"mobile\":\"13800138000\"},"
                        + "\"intendedOwner\":\"u-1\",\"level\":\"b\"}")) {
            Lead lead = parse(body).lead();

            assertThat(Lead.newBuilder(lead).build()).as(body).isEqualTo(lead);
            if (lead.getCompany() != null) {
                assertThat(Company.newBuilder(lead.getCompany()).build()).isEqualTo(lead.getCompany());
            }
            if (lead.getContact() != null) {
                assertThat(Contact.newBuilder(lead.getContact()).build()).isEqualTo(lead.getContact());
            }
        }
    }

    /** The lead id's rule as the regular expression it was until 2026-11-28, against its hand-written check. */
    @Test
    void checksLeadIdsAsTheirRegularExpression() {
        Pattern leadId = Pattern.compile("[A-Za-z0-9._:@/+-]{1,128}");
        String alphabet = "aZ09._:@/+-# \t王\u00E9";
        Random random = new Random(20261128);
        List<String> ids = new ArrayList<>(List.of("", "a".repeat(128), "a".repeat(129), "crm-42", "x y"));
        for (int i = 0; i < 20_000; i++) {
            StringBuilder id = new StringBuilder();
            int length = random.nextInt(random.nextInt(10) == 0 ? 140 : 10);
            for (int c = 0; c < length; c++) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            ids.add(id.toString());
        }
        for (String id : ids) {
            assertThat(LeadParser.isLeadId(id))
                    .as(id)
                    .isEqualTo(leadId.matcher(id).matches());
        }
    }

    @Test
    void keepsUnknownFieldsAsFreeAttributes() {
        Lead lead = parse("""
                {"company":{"name":"Acme","employees":120},"contact":{"email":"a@acme.example","wechat":"acme01"},
                 "budget":"high"}
                """).lead();

        assertThat(lead.getAttributes())
                .containsEntry("budget", "high")
                .containsEntry("company.employees", "120")
                .containsEntry("contact.wechat", "acme01");
    }

    @Test
    void foldsWidthAndTrimsForDisplay() {
        Lead lead = parse("{\"company\":{\"name\":\"  ＡＣＭＥ　Ｔｒａｄｉｎｇ \"}}").lead();

        assertThat(lead.getCompany().getName()).isEqualTo("ACME Trading");
    }

    @Test
    void assignsATimeOrderedIdWhenTheSenderGivesNone() {
        String first = parse("{\"company\":{\"name\":\"Acme\"}}").lead().getLeadId();
        String second = parse("{\"company\":{\"name\":\"Acme\"}}").lead().getLeadId();

        assertThat(UUID.fromString(first).version()).isEqualTo(7);
        assertThat(second).isNotEqualTo(first);
        assertThat(second.compareTo(first)).isPositive();
    }

    @Test
    void namesEveryBadFieldAtOnce() {
        LeadParser.Result result = parse("{\"contact\":{\"email\":\"nope\"},\"level\":\"Q\",\"leadId\":\"a b\"}");

        assertThat(result.errors())
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("contact.email", "level", "leadId");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidLeads")
    void refusesInvalidLeadsNamingTheField(String body, String field, String message) {
        LeadParser.Result result = parse(body);

        if ("-".equals(field)) {
            assertThat(result.errors()).as("accepted").isEmpty();
        } else {
            assertThat(result.errors()).anySatisfy(error -> {
                assertThat(error.field()).isEqualTo(field);
                assertThat(error.message()).contains(message);
            });
            assertThat(result.lead()).isNull();
        }
    }

    static Stream<Arguments> invalidLeads() throws IOException {
        Path cases = Path.of("src/test/resources/invalid-leads.tsv");
        return Files.readAllLines(cases, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("\t", -1))
                .map(columns -> Arguments.of(columns[0], columns[1], columns[2]));
    }

    private LeadParser.Result parse(String json) {
        try {
            JsonNode body = JSON.readTree(json);
            return parser.parse(body, CALLER, NOW);
        } catch (tools.jackson.core.JacksonException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
