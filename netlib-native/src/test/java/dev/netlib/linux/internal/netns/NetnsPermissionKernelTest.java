package dev.netlib.linux.internal.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netlib.testjvm.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Without CAP_SYS_ADMIN the errors say which capability is missing. Runs {@link NoCapsProbe} in a
 * child JVM whose capability bounding set is empty ({@code setpriv}), so uid 0 holds no capability.
 */
class NetnsPermissionKernelTest {
    @Test
    void withoutCapabilitiesTheErrorNamesCapSysAdmin() {
        NlnSupport.assumeRoot();
        boolean setpriv = Files.isExecutable(Path.of("/usr/bin/setpriv")) || Files.isExecutable(Path.of("/bin/setpriv"));
        if (!setpriv) {
            System.out.println("SKIPPED: needs setpriv (util-linux) to drop capabilities");
        }
        assumeTrue(setpriv, "needs setpriv (util-linux) to drop capabilities");
        String name = NlnSupport.uniqueName("nocap");
        try {
            List<String> cmd = new ArrayList<>(List.of("setpriv", "--bounding-set", "-all", "--inh-caps", "-all"));
            cmd.addAll(ChildJvm.command(List.of(), NoCapsProbe.class, name));
            NlnSupport.Result r = NlnSupport.exec(cmd);
            assertThat(r.rc()).as(r.out()).isZero();
            List<String> lines = r.out().lines().filter(l -> l.startsWith("FAILED") || l.startsWith("CREATED")).toList();
            assertThat(lines).as(r.out()).hasSize(2);
            assertThat(lines).allSatisfy(l -> assertThat(l)
                    .startsWith("FAILED PermissionDeniedException")
                    .contains("EPERM")
                    .contains("CAP_SYS_ADMIN"));
            assertThat(lines.get(0)).contains("ip netns add " + name);
            assertThat(lines.get(1)).contains("unshare(CLONE_NEWNET)");
            assertThat(NsFiles.NETNS_RUN_DIR.resolve(name)).doesNotExist();
        } finally {
            NlnSupport.removeQuietly(name);
        }
    }
}
