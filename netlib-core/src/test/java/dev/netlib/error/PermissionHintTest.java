package dev.netlib.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What an EPERM's message says about privileges, for each capability mask a process can have. */
class PermissionHintTest {
    private static final long NET_ADMIN = 1L << EffectiveCapabilities.CAP_NET_ADMIN;
    private static final long SYS_ADMIN = 1L << EffectiveCapabilities.CAP_SYS_ADMIN;

    @Test
    void withBothCapabilitiesTheRefusalIsTheKernelsOwn() {
        assertThat(KernelException.permissionHint(OptionalLong.of(NET_ADMIN | SYS_ADMIN | 1)))
                .contains("the kernel refused the operation itself").doesNotContain("run as root");
        assertThat(KernelException.permissionHint(OptionalLong.of(-1L))).as("root: every bit").contains("refused the operation itself");
    }

    @Test
    void withoutOneOfThemOrWhenUnknownTheHintNamesTheCapabilities() {
        assertThat(KernelException.permissionHint(OptionalLong.of(NET_ADMIN))).contains("CAP_SYS_ADMIN").contains("run as root");
        assertThat(KernelException.permissionHint(OptionalLong.of(SYS_ADMIN))).contains("CAP_NET_ADMIN").contains("run as root");
        assertThat(KernelException.permissionHint(OptionalLong.of(0))).contains("run as root");
        assertThat(KernelException.permissionHint(OptionalLong.empty())).as("no /proc").contains("run as root");
    }

    @Test
    void capabilitiesParseFromThisProcessOnLinux() {
        if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            assertThat(EffectiveCapabilities.mask()).isPresent();
        }
        assertThat(EffectiveCapabilities.holds(OptionalLong.empty(), EffectiveCapabilities.CAP_NET_ADMIN)).isFalse();
    }
}
