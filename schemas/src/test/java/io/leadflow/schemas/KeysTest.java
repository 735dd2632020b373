package io.leadflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadflow.avro.FunnelDimension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class KeysTest {

    @ParameterizedTest(name = "tenant id \"{0}\" valid: {1}")
    @CsvFileSource(resources = "/tenant-ids.csv", nullValues = "<null>")
    void acceptsOnlyWellFormedTenantIds(String tenant, boolean valid) {
        String value = tenant == null ? "" : tenant;
        assertThat(Keys.isValidTenant(value)).isEqualTo(valid);
        if (valid) {
            assertThatCode(() -> Keys.requireValidTenant(value)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> Keys.requireValidTenant(value))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + value + "'");
        }
    }

    @Test
    void refusesANullTenant() {
        assertThatThrownBy(() -> Keys.requireValidTenant(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
    }

    @Test
    void joinsTenantAndIdWithASlash() {
        assertThat(Keys.customer("acme", "c-1")).isEqualTo("acme/c-1");
        assertThat(Keys.commandResult("acme", "cmd-9")).isEqualTo("acme/cmd-9");
        assertThat(Keys.owner("acme", "li.lei")).isEqualTo("acme/li.lei");
    }

    @Test
    void refusesAnOwnerKeyWithoutOwner() {
        assertThatThrownBy(() -> Keys.owner("acme", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner");
    }

    @Test
    void putsTheFunnelDimensionValueLastBecauseItMayContainSlashes() {
        assertThat(Keys.funnel("acme", FunnelDimension.CAMPAIGN, "2026-W48", "expo/spring"))
                .isEqualTo("acme/CAMPAIGN/2026-W48/expo/spring");
    }

    @Test
    void keysDeadLettersBySourceRecord() {
        assertThat(Keys.deadLetter("leadflow.leads.v1", 3, 42L)).isEqualTo("leadflow.leads.v1@3@42");
    }

    @Test
    void findsTheTenantOfEveryKeyShape() {
        assertThat(Keys.tenantOf("acme")).isEqualTo("acme");
        assertThat(Keys.tenantOf(Keys.customer("acme", "c/with/slash"))).isEqualTo("acme");
        assertThat(Keys.tenantOf(Keys.funnel("acme", FunnelDimension.TENANT, "live", "acme")))
                .isEqualTo("acme");
    }

    @Test
    void refusesKeysForInvalidTenantsOrBlankIds() {
        assertThatThrownBy(() -> Keys.customer("Acme", "c-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Acme'");
        assertThatThrownBy(() -> Keys.customer("acme", " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Keys.tenantOf("Bad Tenant/c-1")).isInstanceOf(IllegalArgumentException.class);
    }
}
