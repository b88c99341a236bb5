package dev.netlib.linux;

import dev.netlib.contract.BackendContract;
import dev.netlib.linux.netns.NlnSupport;
import dev.netlib.spi.Backend;
import org.junit.jupiter.api.BeforeAll;

/**
 * The backend contract on the real kernel: every test works inside namespaces it creates
 * ({@code nlt-*}) and deletes. Skipped, with the reason, when not root.
 */
class LinuxBackendContractTest extends BackendContract {
    @BeforeAll
    static void needRoot() {
        NlnSupport.assumeRoot();
    }

    @Override
    protected Backend createBackend() {
        return new LinuxBackend();
    }
}
