package io.leadflow.standalone.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    /** Many probes in a row, as a test that starts a broker, its controller and a database does: never one twice. */
    @Test
    void neverHandsOutThePortItHandedOutBefore() {
        Set<Integer> ports = new HashSet<>();
        IntStream.range(0, 2_000)
                .forEach(i -> assertThat(ports.add(FreePorts.next()))
                        .as("port handed out twice after %d probes", i)
                        .isTrue());
        assertThat(ports).allSatisfy(port -> assertThat(port).isBetween(1, 65_535));
    }
}
