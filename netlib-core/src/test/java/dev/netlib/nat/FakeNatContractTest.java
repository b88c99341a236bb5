package dev.netlib.nat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Netlib;
import dev.netlib.fake.FakeKernel;
import dev.netlib.spi.nft.NftLayout;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The NAT contract on FakeKernel. */
class FakeNatContractTest extends NatContract {
    private FakeKernel kernel;
    private Netlib host;

    @BeforeEach
    void setUp() {
        kernel = new FakeKernel();
        host = Netlib.open(kernel);
        host.bridge("nlfbr0").up().create().addAddress("172.30.0.1/24");
    }

    @AfterEach
    void tearDown() {
        kernel.close();
    }

    @Override
    protected Netlib host() {
        return host;
    }

    @Test
    void theFakeRecordsTheNftCommandsAndKeepsNamespacesApart() {
        host.nat().add(NatRule.publish("8080:80", "172.30.0.2"));
        assertThat(kernel.history()).contains("nft add table ip netlib", "nft add chain ip netlib published");
        assertThat(kernel.firewall().hasTable(kernel.root())).isFalse(); // keyed by the fake's namespace, not the ref
        try (var ns = host.namespaces().create("nlf-fake")) {
            Netlib inside = host.in(ns);
            assertThat(inside.nat().list()).isEmpty();
            inside.bridge("br1").up().create().addAddress("10.9.0.1/24");
            inside.nat().add(NatRule.isolate("br1", "br2"));
            assertThat(kernel.history()).anyMatch(c -> c.startsWith("ip netns exec nlf-fake nft add element ip netlib isolated"));
            assertThat(host.nat().list()).hasSize(1);
            assertThat(inside.nat().list()).hasSize(1);
        }
        assertThat(NftLayout.CHAINS).hasSize(5);
        assertThat(List.copyOf(host.nat().list())).hasSize(1);
    }
}
