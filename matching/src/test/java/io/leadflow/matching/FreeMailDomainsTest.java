package io.leadflow.matching;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class FreeMailDomainsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {"qq.com", "163.com", "126.com", "gmail.com", "QQ.COM", "vip.qq.com", "vip.163.com", "gmail.com."
            })
    void recognisesFreeMailDomainsAndTheirSubdomains(String domain) {
        assertThat(FreeMailDomains.isFreeMail(domain)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.cn", "acme.com", "qq.com.cn", "myqq.com", "mail.example.com", "com"})
    void treatsCompanyDomainsAsNotFreeMail(String domain) {
        assertThat(FreeMailDomains.isFreeMail(domain)).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    void treatsBlankAsNotFreeMail(String domain) {
        assertThat(FreeMailDomains.isFreeMail(domain)).isFalse();
    }
}
