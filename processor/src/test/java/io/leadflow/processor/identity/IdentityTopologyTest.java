package io.leadflow.processor.identity;

import static io.leadflow.processor.identity.Leads.aLead;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.DeadLetter;
import io.leadflow.avro.Lead;
import io.leadflow.avro.PoolEvent;
import io.leadflow.avro.PoolEventType;
import io.leadflow.processor.LeadflowTopology;
import io.leadflow.schemas.TopicSpec;
import io.leadflow.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdentityTopologyTest {

    private TopologyTestDriver driver;
    private TestInputTopic<String, Lead> leads;
    private TestInputTopic<String, byte[]> rawLeads;
    private TestOutputTopic<String, CustomerSnapshot> customers;
    private TestOutputTopic<String, PoolEvent> poolEvents;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void startDriver() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "identity-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(LeadflowTopology.build(), config);
        leads = input(Topics.LEADS);
        rawLeads = driver.createInputTopic(
                Topics.LEADS.name(),
                Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        customers = output(Topics.CUSTOMERS);
        poolEvents = output(Topics.POOL_EVENTS);
        deadLetters = output(Topics.DEAD_LETTER);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void leadsWithTheSameEmailInDifferentCaseJoinOneCustomer() {
        send(aLead("l-1").withCompany("上海星云科技有限公司").withEmail("Wang.Wei@Example.CN"));
        send(aLead("l-2").withCompany("星云科技").withEmail(" wang.wei@example.cn "));

        List<KeyValue<String, CustomerSnapshot>> snapshots = customers.readKeyValuesToList();
        assertThat(snapshots).hasSize(2);
        CustomerSnapshot latest = snapshots.get(1).value;
        assertThat(snapshots.get(0).key).isEqualTo(snapshots.get(1).key).startsWith("acme/");
        assertThat(latest.getLeadIds()).containsExactly("l-1", "l-2");
        assertThat(latest.getVersion()).isEqualTo(2);
        assertThat(latest.getCompany().getName()).isEqualTo("上海星云科技有限公司");
        assertThat(latest.getMatchKeys()).extracting(key -> key.getValue()).containsExactly("wang.wei@example.cn");
        assertThat(poolEvents.readValuesToList())
                .extracting(PoolEvent::getType)
                .containsExactly(PoolEventType.CREATED, PoolEventType.LEAD_LINKED);
    }

    @Test
    void aLeadWithAnotherEmailFoundsASecondCustomer() {
        send(aLead("l-1").withEmail("wang.wei@example.cn"));
        send(aLead("l-2").withEmail("li.na@example.cn"));

        Map<String, CustomerSnapshot> latest = customers.readKeyValuesToMap();
        assertThat(latest).hasSize(2);
        assertThat(latest.values())
                .allSatisfy(customer -> assertThat(customer.getLeadIds()).hasSize(1));
    }

    @Test
    void aRepeatedLeadIdChangesNothing() {
        send(aLead("l-1").withEmail("wang.wei@example.cn"));
        customers.readValuesToList();
        poolEvents.readValuesToList();

        send(aLead("l-1").withEmail("someone.else@example.cn"));

        assertThat(customers.isEmpty()).isTrue();
        assertThat(poolEvents.isEmpty()).isTrue();
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void tenantsNeverShareCustomers() {
        send(aLead("l-1").withEmail("wang.wei@example.cn"));
        send(aLead("l-1").ofTenant("globex").withEmail("wang.wei@example.cn"));

        Map<String, CustomerSnapshot> latest = customers.readKeyValuesToMap();
        assertThat(latest.keySet())
                .hasSize(2)
                .anyMatch(key -> key.startsWith("acme/"))
                .anyMatch(key -> key.startsWith("globex/"));
    }

    @Test
    void leadsWithoutAnEmailNeverMatchEachOther() {
        send(aLead("l-1").withCompany("Acme Trading"));
        send(aLead("l-2").withCompany("Acme Trading"));

        assertThat(customers.readKeyValuesToMap()).hasSize(2);
    }

    @Test
    void anUnreadableRecordBecomesADeadLetterAndTheStreamGoesOn() {
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        rawLeads.pipeInput("acme", garbage);
        send(aLead("l-1").withEmail("wang.wei@example.cn"));

        List<KeyValue<String, DeadLetter>> letters = deadLetters.readKeyValuesToList();
        assertThat(letters).hasSize(1);
        DeadLetter letter = letters.get(0).value;
        assertThat(letters.get(0).key).isEqualTo(Topics.LEADS.name() + "@0@0");
        assertThat(letter.getSourceTopic()).isEqualTo(Topics.LEADS.name());
        assertThat(letter.getOffset()).isZero();
        assertThat(letter.getReason()).contains("cannot decode");
        assertThat(letter.getValue().array()).isEqualTo(garbage);
        assertThat(letter.getComponent()).isEqualTo("processor");
        assertThat(customers.readValuesToList()).hasSize(1);
    }

    @Test
    void aLeadKeyedByAnotherTenantBecomesADeadLetter() {
        leads.pipeInput("globex", aLead("l-1").withEmail("wang.wei@example.cn").build(), Instant.now());

        assertThat(deadLetters.readValuesToList())
                .singleElement()
                .satisfies(letter -> assertThat(letter.getReason()).contains("tenant 'acme' keyed by 'globex'"));
        assertThat(customers.isEmpty()).isTrue();
    }

    @Test
    void customerIdsAreStableForTheSameFoundingLead() {
        assertThat(LeadResolver.customerIdFor("acme", "l-1"))
                .isEqualTo(LeadResolver.customerIdFor("acme", "l-1"))
                .isNotEqualTo(LeadResolver.customerIdFor("globex", "l-1"));
    }

    private void send(Leads lead) {
        Lead value = lead.build();
        leads.pipeInput(value.getTenant(), value, Instant.parse("2026-11-27T08:00:00Z"));
    }

    private <V> TestInputTopic<String, V> input(TopicSpec<String, V> topic) {
        return driver.createInputTopic(
                topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(TopicSpec<String, V> topic) {
        return driver.createOutputTopic(
                topic.name(),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }
}
