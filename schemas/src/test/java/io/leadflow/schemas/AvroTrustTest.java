package io.leadflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadflow.avro.CustomerSnapshot;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AvroTrustTest {

    private ClassSecurityPredicate before;
    private CustomerSnapshot customer;

    @BeforeEach
    void startUntrusted() {
        // Built while trusted, whichever test of this JVM runs first: the fixture is not what is tested.
        customer = Fixtures.aCustomer().build();
        before = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.DEFAULT_TRUSTED_CLASSES);
    }

    @AfterEach
    void restoreGlobalTrust() {
        ClassSecurityValidator.setGlobal(before);
    }

    @Test
    void copyBuildersFailUntilTheGeneratedClassesAreTrusted() {
        assertThatThrownBy(() -> CustomerSnapshot.newBuilder(customer).build()).isInstanceOf(SecurityException.class);

        AvroTrust.trustGeneratedClasses();

        assertThat(CustomerSnapshot.newBuilder(customer).setVersion(4).build().getCompany())
                .isEqualTo(customer.getCompany());
    }

    @Test
    void trustsOnlyGeneratedClassesAndOnlyOnce() {
        AvroTrust.trustGeneratedClasses();
        ClassSecurityPredicate trusted = ClassSecurityValidator.getGlobal();

        AvroTrust.trustGeneratedClasses();

        assertThat(ClassSecurityValidator.getGlobal()).isSameAs(trusted);
        assertThat(trusted.isTrusted(Fixtures.class)).isFalse();
        assertThat(trusted.isTrusted(Thread.class)).isFalse();
    }
}
