package io.leadflow.ingest.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadflow.avro.Lead;
import io.leadflow.ingest.support.TestIngest;
import io.leadflow.ingest.support.TopicReader;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.SharedKafka;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/** A GBK-encoded, tab-separated CSV with good and bad rows, imported through a real broker. */
class CsvImportIT {

    private static final String TENANT =
            "import-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String KEY = "key-" + TENANT;

    private static ConfigurableApplicationContext ingest;
    private static WebTestClient client;

    @BeforeAll
    static void startIngest() {
        SharedKafka.createTopics(List.of(Topics.LEADS, Topics.ACTIVITIES));
        ingest = TestIngest.start(SharedKafka.bootstrapServers(), TestIngest.key(0, KEY, TENANT, "excel"));
        client = TestIngest.client(ingest);
    }

    @AfterAll
    static void stopIngest() {
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void importsTheGoodRowsOfAGbkFileAndReportsTheBadOnes() throws IOException {
        byte[] gbk = Files.readString(Path.of("src/test/resources/imports/mixed-leads.tsv"))
                .getBytes(Charset.forName("GBK"));
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("file", new ByteArrayResource(gbk) {
            @Override
            public String getFilename() {
                return "leads.csv";
            }
        });
        form.part(
                "mapping",
                "{\"公司名称\":\"company.name\",\"手机\":\"contact.mobile\",\"邮箱\":\"contact.email\","
                        + "\"编号\":\"leadId\"}");

        String location = client.post()
                .uri("/ingest/v1/imports")
                .header("X-Api-Key", KEY)
                .body(BodyInserters.fromMultipartData(form.build()))
                .exchange()
                .expectStatus()
                .isAccepted()
                .returnResult(Map.class)
                .getResponseHeaders()
                .getLocation()
                .toString();

        List<ServerSentEvent<Map<String, Object>>> events = client.get()
                .uri(location + "/events")
                .header("X-Api-Key", KEY)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {})
                .getResponseBody()
                .collectList()
                .block(Duration.ofSeconds(60));
        assertThat(events).last().satisfies(last -> {
            assertThat(last.event()).isEqualTo("finished");
            assertThat(last.data()).containsEntry("status", "COMPLETED");
        });

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> client.get()
                        .uri(location)
                        .header("X-Api-Key", KEY)
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody()
                        .jsonPath("$.status")
                        .isEqualTo("COMPLETED")
                        .jsonPath("$.charset")
                        .isEqualTo("GB18030")
                        .jsonPath("$.delimiter")
                        .isEqualTo("tab")
                        .jsonPath("$.rowsRead")
                        .isEqualTo(5)
                        .jsonPath("$.accepted")
                        .isEqualTo(3)
                        .jsonPath("$.refused")
                        .isEqualTo(2)
                        .jsonPath("$.firstErrors[0].row")
                        .isEqualTo(2)
                        .jsonPath("$.firstErrors[0].errors[0].field")
                        .isEqualTo("contact.mobile")
                        .jsonPath("$.firstErrors[1].row")
                        .isEqualTo(4));

        List<Lead> leads = TopicReader.readUntil(
                SharedKafka.bootstrapServers(), Topics.LEADS, TENANT, read -> read.size() >= 3, Duration.ofSeconds(30));
        assertThat(leads).extracting(Lead::getLeadId).containsExactlyInAnyOrder("csv-1", "csv-3", "csv-5");
        assertThat(leads)
                .filteredOn(lead -> lead.getLeadId().equals("csv-1"))
                .singleElement()
                .satisfies(lead -> {
                    assertThat(lead.getCompany().getName()).isEqualTo("上海星云科技有限公司");
                    assertThat(lead.getSourceSystem()).isEqualTo("excel");
                    assertThat(lead.getAttributes()).containsEntry("备注", "展会名片");
                });
    }
}
