package dev.netlib.linux;

import dev.netlib.contract.FailedCreateContract;
import dev.netlib.spi.Backend;
import dev.netlib.test.Privileges;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * A refused link creation changes nothing on the real kernel: the follow-ups pipelined behind a
 * create address the links by the ifindexes the create asked for, so they fail with ENODEV when
 * it fails. Works in {@code nlt-*} namespaces it deletes; skipped, with the reason, when not root.
 */
class FailedCreateKernelTest extends FailedCreateContract {
    @BeforeAll
    static void needRoot() {
        Assumptions.assumeTrue(Privileges.canUseRealKernel(), () -> Privileges.reasonIfNot().orElse(""));
    }

    @Override
    protected Backend createBackend() {
        return new LinuxBackend();
    }
}
