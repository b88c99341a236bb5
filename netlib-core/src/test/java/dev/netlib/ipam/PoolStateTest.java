package dev.netlib.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The stored line format: compact, and a damaged record is an error, never an empty pool. */
class PoolStateTest {
    @Test
    void recordIsCompactLines() {
        MemoryIpamStore store = new MemoryIpamStore();
        IpPool pool = IpPool.builder(store, "fmt").subnet("10.0.0.0/16").ipRange("10.0.1.0/24").auxAddress("h", "10.0.0.9").create();
        pool.allocate("c1");
        pool.allocate("10.0.0.5", "c2");
        assertThat(store.get("ipam/pools/fmt").orElseThrow().value()).isEqualTo("""
                netlib-ipam-pool 1
                name fmt
                subnet 10.0.0.0/16
                range 10.0.1.0/24
                gateway 10.0.0.1
                aux h 10.0.0.9
                a 100 c1
                a 5 c2
                last 100
                """);
        pool.release("10.0.1.0");
        assertThat(store.get("ipam/pools/fmt").orElseThrow().value()).contains("a 5 c2\nlast 100\n").doesNotContain("a 100");
        assertThat(IpPool.open(store, "fmt").allocations()).hasSize(1);
    }

    @Test
    void corruptRecordsAreClearErrors() {
        String good = "netlib-ipam-pool 1\nname x\nsubnet 10.0.0.0/24\ngateway 10.0.0.1\na 2 c1\nlast 2\n";
        assertThat(PoolState.decode("k", good).allocations).hasSize(1);
        assertThatThrownBy(() -> PoolState.decode("k", good.substring(0, good.length() - 8)))
                .isInstanceOf(CorruptStoreException.class).hasMessageContaining("record k is corrupt");
        assertThatThrownBy(() -> PoolState.decode("k", good.replace("a 2 c1", "a 2 c1\na 2 c2")))
                .isInstanceOf(CorruptStoreException.class).hasMessageContaining("second time");
        assertThatThrownBy(() -> PoolState.decode("k", good.replace("a 2", "a zz")))
                .isInstanceOf(CorruptStoreException.class).hasMessageContaining("hex");
        assertThatThrownBy(() -> PoolState.decode("k", good.replace("a 2", "a 1ff")))
                .isInstanceOf(CorruptStoreException.class).hasMessageContaining("outside");
        assertThatThrownBy(() -> PoolState.decode("k", good.replace("subnet 10.0.0.0/24", "subnet 10.0.0.7/24")))
                .isInstanceOf(CorruptStoreException.class).hasMessageContaining("host bits");
        assertThatThrownBy(() -> PoolState.decode("k", "{}")).isInstanceOf(CorruptStoreException.class);
        MemoryIpamStore store = new MemoryIpamStore();
        store.compareAndSet("ipam/pools/x", 0, "garbage\n");
        assertThatThrownBy(() -> IpPool.open(store, "x")).isInstanceOf(CorruptStoreException.class)
                .hasMessageContaining("ipam/pools/x").hasMessageContaining("memory store");
    }
}
