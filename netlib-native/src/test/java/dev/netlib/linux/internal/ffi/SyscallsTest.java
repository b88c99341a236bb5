package dev.netlib.linux.internal.ffi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The errno discipline of the libc call sites: only EINTR makes a call run again, any other
 * failure is told once, with its errno. (A real EINTR needs a signal handler without SA_RESTART
 * interrupting a blocked call, which a test cannot arrange portably; the other side of the rule is
 * what would spin for ever if it broke.)
 */
class SyscallsTest {
    @Test
    void aFailureOtherThanEintrIsNotRetriedAndKeepsItsErrno() {
        Assumptions.assumeTrue(System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux"), "needs Linux");
        assertThat(Syscalls.interrupted(0)).as("a success").isFalse();
        long rc = Syscalls.libc().read(-1, new byte[1], 1);
        assertThat(rc).isNegative();
        assertThat(Syscalls.interrupted(rc)).as("EBADF is no reason to call again").isFalse();
        KernelException e = Syscalls.failure("read(-1)");
        assertThat(e.errno()).isEqualTo(Errno.EBADF);
        assertThat(e.getMessage()).contains("read(-1)").contains("EBADF");
    }
}
