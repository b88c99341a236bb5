package dev.netlib.nat;

import dev.netlib.Netlib;
import org.junit.jupiter.api.BeforeEach;

/** The NAT contract on the in-memory firewall. */
class FakeNatContractTest extends NatContract {
    private Netlib host;

    @BeforeEach
    void setUp() {
        StubBackend kernel = new StubBackend();
        kernel.address("nlfbr0", "172.30.0.1/24");
        host = Netlib.open(kernel);
    }

    @Override
    protected Netlib host() {
        return host;
    }
}
