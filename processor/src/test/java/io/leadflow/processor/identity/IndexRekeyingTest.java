package io.leadflow.processor.identity;

import static io.leadflow.processor.identity.Leads.aLead;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.IdentityEvent;
import io.leadflow.avro.IdentityEventType;
import io.leadflow.matching.KeyKind;
import io.leadflow.matching.KeyRules;
import io.leadflow.matching.MatchEngine;
import io.leadflow.matching.MatchKey;
import io.leadflow.schemas.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An identity index built under earlier key rules, brought to the current ones. The state is made by the whole
 * topology from real leads, then given the keys earlier rules spelled otherwise ({@code 股份} kept in a name key, a
 * Gmail address with its dots), as an index built before those rules changed holds them.
 */
class IndexRekeyingTest {

    private final IdentityDriver identity = new IdentityDriver();
    private final List<CustomerSnapshot> snapshots = new ArrayList<>();
    private final List<IdentityEvent> events = new ArrayList<>();
    private final IndexRekeying.Output output = new IndexRekeying.Output() {
        @Override
        public void customer(CustomerSnapshot customer, byte[] encoded) {
            snapshots.add(customer);
        }

        @Override
        public void event(IdentityEvent event) {
            events.add(event);
        }
    };

    @AfterEach
    void close() {
        identity.close();
    }

    @Test
    void aCustomerKeyedUnderEarlierRulesIsFoundAgainByALeadSpelledAsItsFirstLead() {
        identity.send(aLead("l-1").withCompany("上海星云科技股份有限公司").withEmail("Wang.Wei@gmail.com"));
        // A second spelling of the name, which the customer's company field does not keep: only its key does.
        CustomerSnapshot founded =
                identity.send(aLead("l-2").withCompany("星雲科技股份有限公司").withEmail("wang.wei@gmail.com"));
        String id = founded.getCustomerId();
        builtUnderEarlierRules(
                id,
                Map.of(
                        key(KeyKind.NAME, "上海星云科技"), key(KeyKind.NAME, "上海星云科技股份"),
                        key(KeyKind.NAME, "星云科技"), key(KeyKind.NAME, "星云科技股份"),
                        key(KeyKind.EMAIL, "wangwei@gmail.com"), key(KeyKind.EMAIL, "wang.wei@gmail.com")));

        IndexRekeying rekeying = rekeying(IndexRekeying.CHUNK);
        assertThat(rekeying.builtUnder()).isEqualTo("1");
        rekeyAll(rekeying);

        assertThat(holderOf(KeyKind.NAME, "上海星云科技股份"))
                .as("keys of the earlier rules stay")
                .isEqualTo(id);
        assertThat(holderOf(KeyKind.EMAIL, "wang.wei@gmail.com")).isEqualTo(id);
        assertThat(holderOf(KeyKind.NAME, "上海星云科技")).isEqualTo(id);
        assertThat(holderOf(KeyKind.NAME, "星云科技")).isEqualTo(id);
        assertThat(holderOf(KeyKind.EMAIL, "wangwei@gmail.com")).isEqualTo(id);
        assertThat(snapshots).singleElement().satisfies(snapshot -> {
            assertThat(snapshot.getVersion()).isEqualTo(founded.getVersion() + 1);
            assertThat(snapshot.getMatchKeys())
                    .containsAll(founded.getMatchKeys())
                    .hasSize(founded.getMatchKeys().size() + 3)
                    .extracting(key -> key.getKind() + " " + key.getValue())
                    .contains("NAME 上海星云科技股份", "NAME 星云科技股份", "EMAIL wang.wei@gmail.com");
            assertThat(snapshot.getOwner()).isEqualTo(founded.getOwner());
        });
        assertThat(identity.stored(id)).isEqualTo(snapshots.get(0));
        assertThat(events).isEmpty();
        assertThat(index().get(IndexRekeying.RULES)).isEqualTo(String.valueOf(KeyRules.VERSION));

        CustomerSnapshot joined = identity.send(aLead("l-3").withEmail("wang.wei@gmail.com"));
        assertThat(joined.getCustomerId()).isEqualTo(id);
        assertThat(joined.getLeadIds()).containsExactly("l-1", "l-2", "l-3");
    }

    @Test
    void aCustomerIsFiledAgainUnderTheBlockingKeysOfTheseRulesSoATypoInItsNameIsFlagged() {
        String id = identity.send(aLead("l-1").withCompany("天津川中泰机械有限公司").withEmail("li.lei@chuanzhongtai.cn"))
                .getCustomerId();
        // Key rules 2 filed a three-character trade name under its bigrams only.
        String typoBlock = IdentityStores.blockPrefix(IdentityDriver.TENANT, "name:川*泰");
        List<String> filed = new ArrayList<>();
        try (var entries = blocks().prefixScan(typoBlock, new StringSerializer())) {
            entries.forEachRemaining(entry -> filed.add(entry.key));
        }
        assertThat(filed).isNotEmpty();
        filed.forEach(blocks()::delete);
        index().put(IndexRekeying.RULES, "2");

        rekeyAll(rekeying(IndexRekeying.CHUNK));

        try (var entries = blocks().prefixScan(typoBlock, new StringSerializer())) {
            assertThat(entries.hasNext()).isTrue();
            assertThat(entries.next().key).startsWith(typoBlock + id + "\u0000");
        }
        assertThat(snapshots).as("no key changed").isEmpty();
        identity.send(aLead("l-2").withCompany("天津川宏泰机械有限公司").withEmail("wang.wei@chuanhongtai.cn"));
        assertThat(identity.identityEvents.readValuesToList())
                .filteredOn(event -> event.getType() == IdentityEventType.POSSIBLE_DUPLICATE)
                .singleElement()
                .satisfies(event -> assertThat(event.getOtherCustomerId()).isEqualTo(id));
    }

    @Test
    void aNewKeyThatAnotherCustomerHoldsStaysWithItAndBothAreNamedForAMerge() {
        String first =
                identity.send(aLead("l-1").withEmail("Wang.Wei@gmail.com")).getCustomerId();
        builtUnderEarlierRules(
                first, Map.of(key(KeyKind.EMAIL, "wangwei@gmail.com"), key(KeyKind.EMAIL, "wang.wei@gmail.com")));
        // Before the re-key reaches the first customer, a lead with its address as the current rules spell it
        // finds no holder of that key and founds a second customer.
        String second =
                identity.send(aLead("l-2").withEmail("wangwei@gmail.com")).getCustomerId();
        assertThat(second).isNotEqualTo(first);

        rekeyAll(rekeying(IndexRekeying.CHUNK));

        assertThat(holderOf(KeyKind.EMAIL, "wangwei@gmail.com")).isEqualTo(second);
        assertThat(holderOf(KeyKind.EMAIL, "wang.wei@gmail.com")).isEqualTo(first);
        assertThat(snapshots).singleElement().satisfies(snapshot -> {
            assertThat(snapshot.getCustomerId()).isEqualTo(first);
            assertThat(snapshot.getMatchKeys())
                    .extracting(key -> key.getKind() + " " + key.getValue())
                    .containsExactly("EMAIL wang.wei@gmail.com", "EMAIL wangwei@gmail.com");
        });
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.getType()).isEqualTo(IdentityEventType.MERGE_SUGGESTION);
            assertThat(event.getCustomerId()).isEqualTo(first);
            assertThat(event.getOtherCustomerId()).isEqualTo(second);
            assertThat(event.getEvidence()).singleElement().satisfies(evidence -> {
                assertThat(evidence.getValue()).isEqualTo("wangwei@gmail.com");
                assertThat(evidence.getRule()).isEqualTo(IndexRekeying.REKEYED_RULE);
            });
        });
    }

    @Test
    void aRestartHalfWayGoesOnFromTheLastCustomerRekeyedAndEachIsRekeyedOnce() {
        List<String> ids = gmailCustomersBuiltUnderEarlierRules(5);

        IndexRekeying before = rekeying(2);
        assertThat(before.next(IdentityDriver.NOW, output)).isTrue();
        assertThat(snapshots).hasSize(2);
        assertThat(index().get(IndexRekeying.REKEYED_THROUGH)).startsWith(KeyRules.VERSION + "|");

        IndexRekeying after = rekeying(2);
        assertThat(after.rekeying()).isTrue();
        rekeyAll(after);

        assertThat(snapshots).extracting(CustomerSnapshot::getCustomerId).containsExactlyInAnyOrderElementsOf(ids);
        for (int i = 1; i <= 5; i++) {
            assertThat(holderOf(KeyKind.EMAIL, "wangwei" + i + "@gmail.com")).isEqualTo(ids.get(i - 1));
        }
        assertThat(index().get(IndexRekeying.REKEYED_THROUGH)).isNull();
        assertThat(rekeying(2).rekeying()).isFalse();
    }

    @Test
    void anIndexOfTheseRulesOrWithoutCustomersIsLeftAsItIs() {
        // The resolver recorded the rules of an index that held no customer when its task started.
        assertThat(index().get(IndexRekeying.RULES)).isEqualTo(String.valueOf(KeyRules.VERSION));
        // Keys in the stream's order (strongest first: e-mail, phone, domain), which a re-key leaves as they are.
        identity.send(aLead("l-1").withEmail("wang.wei@example.cn").withMobile("13800138000"));

        assertThat(rekeying(IndexRekeying.CHUNK).rekeying()).isFalse();

        index().delete(IndexRekeying.RULES);
        IndexRekeying unrecorded = rekeying(IndexRekeying.CHUNK);
        assertThat(unrecorded.rekeying()).isTrue();
        assertThat(unrecorded.builtUnder()).isEqualTo("unrecorded");
        rekeyAll(unrecorded);
        assertThat(snapshots).isEmpty();
    }

    @Test
    void theResolverOfATaskBuiltUnderEarlierRulesRekeysAChunkAtEachPunctuationAndSendsWhatChanged() {
        List<String> ids = gmailCustomersBuiltUnderEarlierRules(3);
        // The resolver of a task started on these stores, as after an upgrade.
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        identity.driver.getAllStateStores().values().forEach(context::addStateStore);
        new LeadResolver(MatchEngine.crm(IdentityTopology.DEFAULT_REGION), "customers", "pool", "identity", "dead", 2)
                .init(context);
        assertThat(context.scheduledPunctuators()).singleElement();
        Punctuator punctuator = context.scheduledPunctuators().get(0).getPunctuator();

        punctuator.punctuate(IdentityDriver.NOW.toEpochMilli());
        assertThat(context.forwarded()).hasSize(2);
        punctuator.punctuate(IdentityDriver.NOW.toEpochMilli());

        assertThat(context.forwarded()).hasSize(3).allSatisfy(sent -> {
            assertThat(sent.childName()).contains("customers");
            assertThat(sent.record().value()).isInstanceOf(byte[].class);
        });
        List<Object> keys = new ArrayList<>();
        context.forwarded().forEach(sent -> keys.add(sent.record().key()));
        assertThat(keys)
                .containsExactlyInAnyOrderElementsOf(ids.stream()
                        .map(id -> Keys.customer(IdentityDriver.TENANT, id))
                        .toList());
        assertThat(context.scheduledPunctuators().get(0).cancelled()).isTrue();
        assertThat(index().get(IndexRekeying.RULES)).isEqualTo(String.valueOf(KeyRules.VERSION));
    }

    /** Customers {@code wang.wei1@gmail.com}, … each of one lead, with their address as earlier rules kept it. */
    private List<String> gmailCustomersBuiltUnderEarlierRules(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String id = identity.send(aLead("l-" + i).withEmail("Wang.Wei" + i + "@gmail.com"))
                    .getCustomerId();
            builtUnderEarlierRules(
                    id,
                    Map.of(
                            key(KeyKind.EMAIL, "wangwei" + i + "@gmail.com"),
                            key(KeyKind.EMAIL, "wang.wei" + i + "@gmail.com")));
            ids.add(id);
        }
        return ids;
    }

    /** Gives the customer's keys ({@code current → earlier}) the earlier spelling, in its snapshot and the index. */
    private void builtUnderEarlierRules(String customerId, Map<MatchKey, MatchKey> spelling) {
        identity.change(
                customerId,
                customer -> customer.setMatchKeys(customer.getMatchKeys().stream()
                        .map(key -> {
                            MatchKey current = AvroMapping.fromAvro(key).orElseThrow();
                            return AvroMapping.toAvro(spelling.getOrDefault(current, current));
                        })
                        .toList()));
        spelling.forEach((current, earlier) -> {
            index().delete(indexKey(current));
            index().put(indexKey(earlier), customerId);
        });
        index().put(IndexRekeying.RULES, "1");
    }

    private IndexRekeying rekeying(int chunk) {
        return new IndexRekeying(
                MatchEngine.crm(IdentityTopology.DEFAULT_REGION),
                index(),
                identity.driver.getKeyValueStore(IdentityStores.IDENTITY_BLOCKS),
                CustomerStore.over(identity.driver.getKeyValueStore(IdentityStores.CUSTOMERS)),
                FullBlocks.NONE,
                new MergeRedirects(),
                chunk);
    }

    private void rekeyAll(IndexRekeying rekeying) {
        int chunks = 0;
        while (rekeying.next(IdentityDriver.NOW, output)) {
            assertThat(++chunks).isLessThan(100);
        }
    }

    private String holderOf(KeyKind kind, String value) {
        return index().get(indexKey(key(kind, value)));
    }

    private KeyValueStore<String, String> blocks() {
        return identity.driver.getKeyValueStore(IdentityStores.IDENTITY_BLOCKS);
    }

    private KeyValueStore<String, String> index() {
        return identity.driver.getKeyValueStore(IdentityStores.IDENTITY_INDEX);
    }

    private static String indexKey(MatchKey key) {
        return IdentityStores.indexKey(IdentityDriver.TENANT, key.kind().name(), key.value());
    }

    private static MatchKey key(KeyKind kind, String value) {
        return new MatchKey(kind, value);
    }
}
