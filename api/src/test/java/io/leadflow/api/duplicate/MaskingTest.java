package io.leadflow.api.duplicate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskingTest {

    @Test
    void keepsOnlyWhatLetsACallerRecogniseAContact() {
        assertThat(Masking.email("wang.wei@example.cn")).isEqualTo("w***@example.cn");
        assertThat(Masking.phone("+86 138 0013 8000")).isEqualTo("****8000");
        assertThat(Masking.name("王伟")).isEqualTo("王**");
        assertThat(Masking.key("CREDIT_CODE", "91310000MA1FL0000N")).isEqualTo("91****0N");
    }

    @Test
    void leavesMissingValuesMissing() {
        assertThat(Masking.email(null)).isNull();
        assertThat(Masking.phone(null)).isNull();
        assertThat(Masking.name(null)).isNull();
    }
}
