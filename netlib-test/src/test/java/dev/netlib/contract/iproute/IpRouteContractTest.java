package dev.netlib.contract.iproute;

import dev.netlib.contract.BackendContract;
import dev.netlib.spi.Backend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * The contract suite on the real kernel through iproute2 commands: checks that the suite states
 * what Linux really does. Off by default (it forks ip hundreds of times); run as root with
 * {@code -Dnetlib.contract.iproute=true}. The run test is skipped here: ip cannot run Java code
 * inside a namespace.
 */
class IpRouteContractTest extends BackendContract {
    private static final String HOW = "set -Dnetlib.contract.iproute=true (as root) to check the contract on the real kernel through iproute2";

    @BeforeAll
    static void onlyWhenAsked() {
        if (!Boolean.getBoolean("netlib.contract.iproute")) {
            LoggerFactory.getLogger(IpRouteContractTest.class).info("skipped: {}", HOW);
        }
        Assumptions.assumeTrue(Boolean.getBoolean("netlib.contract.iproute"), HOW);
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root: it creates network namespaces");
    }

    @Override
    protected Backend createBackend() {
        return new IpRouteBackend();
    }
}
