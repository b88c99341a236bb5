package dev.netlib.linux;

import dev.netlib.contract.BackendContract;
import dev.netlib.test.Privileges;
import dev.netlib.spi.Backend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The backend contract on the real kernel: every test works inside namespaces it creates
 * ({@code nlt-*}) and deletes. Skipped, with the reason, without CAP_NET_ADMIN and CAP_SYS_ADMIN.
 */
class LinuxBackendContractTest extends BackendContract {
    @BeforeAll
    static void needRoot() {
        Assumptions.assumeTrue(Privileges.canUseRealKernel(), () -> Privileges.reasonIfNot().orElse(""));
    }

    @Override
    protected Backend createBackend() {
        return new LinuxBackend();
    }
}
