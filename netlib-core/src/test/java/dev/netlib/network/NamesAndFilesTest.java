package dev.netlib.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Namespace;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.NetlibException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names the kernel would rewrite, names checked before anything is built, hosts files' mode and inode, stored paths. */
class NamesAndFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aNameTheKernelWouldRewriteIsRejectedBeforeAnyChange() {
        World w = new World(tmp);
        String before = w.state();
        assertThatThrownBy(() -> w.networks.create("n1").bridgeName("x%d").create()).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("%");
        assertThatThrownBy(() -> w.networks.create("n2").driver(DriverKind.MACVLAN).parent("eth%d").create())
                .isInstanceOf(InvalidConfigException.class);
        assertThat(w.state()).isEqualTo(before);
    }

    @Test
    void aContainerNameTakenFromTheNamespaceIsCheckedBeforeAnythingIsBuilt() {
        World w = new World(tmp);
        w.networks.create("n1").create();
        Namespace odd = w.box("bad:name");
        String before = w.state();
        int requests = w.kernel.requestCount();
        assertThatThrownBy(() -> w.networks.connect("n1", odd)).isInstanceOf(InvalidConfigException.class).hasMessageContaining("bad:name");
        assertThat(w.kernel.requestCount()).as("no kernel request").isEqualTo(requests);
        assertThat(w.state()).isEqualTo(before);
    }

    @Test
    void hostsFilesAre0644AndRewrittenInPlaceSoRunningProgramsSeeTheChange() throws Exception {
        World w = new World(tmp);
        w.networks.create("n1").create();
        w.networks.connect("n1", w.box("box1"));
        Path file = tmp.resolve("box1").resolve("hosts");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        Object inode = Files.getAttribute(file, "unix:ino");
        w.networks.connect("n1", w.box("box2"));
        assertThat(Files.readString(file)).contains("\tbox2\n");
        assertThat(Files.getAttribute(file, "unix:ino")).as("same inode: a bind mount of it sees the change").isEqualTo(inode);
        w.networks.disconnect("n1", "box2");
        assertThat(Files.readString(file)).doesNotContain("box2");
        assertThat(Files.getAttribute(file, "unix:ino")).isEqualTo(inode);
    }

    @Test
    void aTamperedRecordCannotSendAPathOutsideTheRootAndItsErrorNamesTheKey() throws Exception {
        World w = new World(tmp.resolve("etc"));
        w.networks.create("n1").create();
        w.networks.connect("n1", w.box("box1"));
        String key = State.endpointKey("n1", "box1");
        String value = w.store.get(key).orElseThrow().value();
        long version = w.store.get(key).orElseThrow().version();
        w.store.compareAndSet(key, version, value.replace("netns=box1", "netns=../../outside"));
        assertThatThrownBy(() -> w.networks.findEndpoint("n1", "box1")).isInstanceOf(NetlibException.class).hasMessageContaining(key);
        assertThatThrownBy(() -> w.networks.reconcile(true)).isInstanceOf(NetlibException.class).hasMessageContaining(key);
        assertThat(tmp.resolve("outside")).doesNotExist();
        assertThat(w.host.findLink(w.networks.network("n1").config().device())).isPresent();
    }
}
