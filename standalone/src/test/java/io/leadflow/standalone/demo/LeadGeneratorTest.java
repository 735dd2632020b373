package io.leadflow.standalone.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LeadGeneratorTest {

    private static final List<String> SALESPEOPLE = List.of("li.lei", "han.meimei");

    @Test
    void theSameSeedGivesTheSameLeads() {
        assertThat(leads(7, 200, Map.of())).isEqualTo(leads(7, 200, Map.of()));
        assertThat(leads(7, 50, Map.of())).isNotEqualTo(leads(8, 50, Map.of()));
    }

    @Test
    void mixesChineseAndLatinCompaniesAndRepeatsSomeOfThem() {
        List<Map<String, Object>> leads = leads(42, 300, Map.of());

        List<String> names = leads.stream().map(LeadGeneratorTest::companyName).toList();
        assertThat(names).anyMatch(name -> name.endsWith("有限公司"));
        assertThat(names).anyMatch(name -> name.matches("[A-Za-z ]+ (Co\\., Ltd\\.|GmbH|Inc\\.|N\\.V\\.|Ltd|AG)"));
        List<String> emails = leads.stream()
                .map(lead -> String.valueOf(contact(lead).get("email")).toLowerCase(java.util.Locale.ROOT))
                .filter(email -> !email.equals("null"))
                .toList();
        assertThat(emails).as("duplicates by e-mail, in any case").hasSizeGreaterThan((int)
                emails.stream().distinct().count());
        assertThat(names).as("look-alike names for possible duplicates").anyMatch(name -> name.contains("发展"));
        assertThat(leads).allSatisfy(lead -> assertThat(lead).doesNotContainKey("intendedOwner"));
    }

    @Test
    void sendsLeadsOfHeldCompaniesToAnotherSalespersonAsCollisions() {
        LeadGenerator generator = new LeadGenerator(3);
        Map<String, Object> first = generator.next(Map.of(), SALESPEOPLE);
        String email = (String) contact(first).get("email");

        List<Map<String, Object>> later = IntStream.range(0, 100)
                .mapToObj(i -> generator.next(Map.of(email, "han.meimei"), SALESPEOPLE))
                .toList();

        assertThat(later)
                .filteredOn(lead -> lead.containsKey("intendedOwner"))
                .isNotEmpty()
                .allSatisfy(lead -> {
                    assertThat(lead.get("intendedOwner")).isEqualTo("li.lei");
                    assertThat(contact(lead).get("email")).isEqualTo(email);
                });
    }

    private static List<Map<String, Object>> leads(long seed, int count, Map<String, String> holders) {
        LeadGenerator generator = new LeadGenerator(seed);
        List<Map<String, Object>> leads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            leads.add(generator.next(holders, SALESPEOPLE));
        }
        return leads;
    }

    @SuppressWarnings("unchecked")
    private static String companyName(Map<String, Object> lead) {
        return (String) ((Map<String, Object>) lead.get("company")).get("name");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> contact(Map<String, Object> lead) {
        return (Map<String, Object>) lead.get("contact");
    }
}
