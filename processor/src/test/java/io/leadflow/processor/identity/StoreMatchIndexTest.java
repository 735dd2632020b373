package io.leadflow.processor.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.matching.KeyKind;
import io.leadflow.matching.MatchKey;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StoreMatchIndexTest {

    private static final MatchKey EMAIL = new MatchKey(KeyKind.EMAIL, "wang.wei@example.cn");

    private final IdentityDriver identity = new IdentityDriver();
    private final AtomicInteger reads = new AtomicInteger();

    @AfterEach
    void close() {
        identity.close();
    }

    @Test
    void aViewReadsEachKeyFromTheStoreOnce() {
        KeyValueStore<String, String> index = store(IdentityStores.IDENTITY_INDEX);
        index.put(IdentityStores.indexKey(IdentityDriver.TENANT, KeyKind.EMAIL.name(), EMAIL.value()), "c-1");
        StoreMatchIndex view = view(index);

        assertThat(view.holderOf(EMAIL)).contains("c-1");
        assertThat(view.holderOf(EMAIL)).contains("c-1");
        assertThat(reads).hasValue(1);
    }

    @Test
    void aKeyItAssignedIsHeldByItsNewHolderWithoutAReadAndInTheStore() {
        KeyValueStore<String, String> index = store(IdentityStores.IDENTITY_INDEX);
        StoreMatchIndex view = view(index);
        assertThat(view.holderOf(EMAIL)).isEmpty();

        view.assign(EMAIL, "c-2");

        assertThat(view.holderOf(EMAIL)).contains("c-2");
        assertThat(reads).hasValue(1);
        assertThat(index.get(IdentityStores.indexKey(IdentityDriver.TENANT, KeyKind.EMAIL.name(), EMAIL.value())))
                .isEqualTo("c-2");
        assertThat(view(index).holderOf(EMAIL)).contains("c-2");
    }

    private StoreMatchIndex view(KeyValueStore<String, String> index) {
        return new StoreMatchIndex(IdentityDriver.TENANT, index, store(IdentityStores.IDENTITY_BLOCKS));
    }

    /** The driver's store, counting its reads. */
    @SuppressWarnings("unchecked")
    private KeyValueStore<String, String> store(String name) {
        KeyValueStore<String, String> store = identity.driver.getKeyValueStore(name);
        return (KeyValueStore<String, String>) Proxy.newProxyInstance(
                KeyValueStore.class.getClassLoader(), new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("get")) {
                        reads.incrementAndGet();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
