package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The keys of {@link KeyRules#VERSION}, pinned: every input of the normalisers' case tables, with the keys the
 * engine gives for it, is in {@code key-rules.tsv}. A change of any normaliser that spells one of those keys
 * otherwise fails here, because indexes built before it must then be re-keyed: raise the version, and copy
 * {@code target/key-rules.tsv}, written by the failing run, over the file.
 */
class KeyRulesTest {

    private static final String PINNED = "/key-rules.tsv";

    @Test
    void theCaseTablesGiveTheKeysPinnedForThisVersion() throws IOException {
        String actual = render(probes());
        String pinned = read(PINNED);
        if (!actual.equals(pinned)) {
            Path written = Path.of("target", "key-rules.tsv");
            Files.createDirectories(written.getParent());
            Files.writeString(written, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual)
                .as(
                        "keys differ from those pinned for key rules version %d: if that is meant, raise "
                                + "KeyRules.VERSION and copy target/key-rules.tsv over src/test/resources%s",
                        KeyRules.VERSION, PINNED)
                .isEqualTo(pinned);
    }

    /** A re-key of an index of these rules adds nothing that no input makes. */
    @Test
    void aKeyOfTheseRulesIsRekeyedAsItself() {
        for (Probe probe : probes()) {
            MatchEngine engine = MatchEngine.crm(probe.region());
            Set<MatchKey> keys = keysOf(engine, probe);
            for (MatchKey key : keys) {
                assertThat(engine.rekeyed(key))
                        .as("%s from %s", key, probe)
                        .contains(key)
                        .isSubsetOf(keys);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '\t', textBlock = """
            NAME	上海星云科技股份	NAME=上海星云科技股份 NAME=上海星云科技
            NAME	星云科技	NAME=星云科技
            NAME	上海星云科技股份#北京分公司	NAME=上海星云科技股份#北京分公司 NAME=上海星云科技#北京分公司
            NAME	acmetrading#shanghaibranch	NAME=acmetrading#shanghaibranch
            NAME	北京上海市星云	NAME=北京上海市星云 NAME=北京上海星云
            EMAIL	wang.wei+crm@gmail.com	EMAIL=wang.wei+crm@gmail.com EMAIL=wangwei@gmail.com
            EMAIL	wang@sh.acme.cn	EMAIL=wang@sh.acme.cn DOMAIN=acme.cn
            DOMAIN	shop.acme.com.cn	DOMAIN=shop.acme.com.cn DOMAIN=acme.com.cn
            PHONE	+8613800138000	PHONE=+8613800138000
            PHONE	+861	PHONE=+861
            CREDIT_CODE	91310000MAK3DGFB6P	CREDIT_CODE=91310000MAK3DGFB6P
            """)
    void aKeyOfEarlierRulesIsKeptWithTheSpellingsOfTheseRules(KeyKind kind, String stored, String expected) {
        List<MatchKey> rekeyed = MatchEngine.crm("CN").rekeyed(new MatchKey(kind, stored));

        assertThat(rekeyed.stream().map(key -> key.kind() + "=" + key.value()).collect(Collectors.joining(" ")))
                .isEqualTo(expected);
    }

    private record Probe(String field, String input, String region) {}

    /** Every input of the case tables, as the field of a lead it would be. */
    private static List<Probe> probes() {
        List<Probe> probes = new ArrayList<>();
        column("/company-names.tsv", 4, 0).forEach(input -> probes.add(new Probe(MatchingProfile.NAME, input, "CN")));
        column("/credit-codes.tsv", 3, 0)
                .forEach(input -> probes.add(new Probe(MatchingProfile.CREDIT_CODE, input, "CN")));
        column("/emails.tsv", 3, 0).forEach(input -> probes.add(new Probe(MatchingProfile.EMAIL, input, "CN")));
        column("/websites.tsv", 3, 0).forEach(input -> probes.add(new Probe(MatchingProfile.WEBSITE, input, "CN")));
        TsvCases.read("/phones.tsv", 4).forEach(row -> {
            Object[] cells = row.get();
            probes.add(new Probe(MatchingProfile.PHONE, (String) cells[0], (String) cells[1]));
        });
        return probes;
    }

    private static List<String> column(String resource, int columns, int column) {
        return TsvCases.read(resource, columns)
                .map(Arguments::get)
                .map(cells -> (String) cells[column])
                .toList();
    }

    private static Set<MatchKey> keysOf(MatchEngine engine, Probe probe) {
        Set<MatchKey> keys = new LinkedHashSet<>();
        engine.prepare(Map.of(probe.field(), probe.input())).keys().forEach(key -> keys.add(key.key()));
        return keys;
    }

    private static String render(List<Probe> probes) {
        StringBuilder out = new StringBuilder("field\tregion\tinput\tkeys\n");
        for (Probe probe : probes) {
            String keys = keysOf(MatchEngine.crm(probe.region()), probe).stream()
                    .map(key -> key.kind() + "=" + key.value())
                    .collect(Collectors.joining(" "));
            out.append(probe.field()).append('\t').append(probe.region()).append('\t');
            out.append(probe.input()).append('\t').append(keys).append('\n');
        }
        return out.toString();
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = KeyRulesTest.class.getResourceAsStream(resource)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
