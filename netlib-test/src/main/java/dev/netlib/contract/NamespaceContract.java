package dev.netlib.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Namespace;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.NetlibException;
import dev.netlib.error.NotFoundException;
import dev.netlib.model.LinkInfo;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Namespaces: create, list, open by name and path, anonymous ones, running code inside. */
public abstract class NamespaceContract extends VxlanFdbContract {

    @Test
    void createdNamespacesAreListedUntilDeleted() {
        Namespace ns = newNamespace();
        String name = ns.name().orElseThrow();
        assertThat(host.namespaces().list()).contains(name);
        assertThat(ns.isOwned()).isTrue();
        assertThat(ns.inode()).isNotEqualTo(host.namespace().inode());
        ns.delete();
        assertThat(host.namespaces().list()).doesNotContain(name);
        assertThat(ns.isClosed()).isTrue();
    }

    @Test
    void creatingANameTwiceFails() {
        Namespace ns = newNamespace();
        assertThatThrownBy(() -> host.namespaces().create(ns.name().orElseThrow()))
                .isInstanceOf(AlreadyExistsException.class);
    }

    @Test
    void openByNameAndByPathSeeTheSameNamespace() {
        Namespace ns = newNamespace();
        String name = ns.name().orElseThrow();
        host.in(ns).bridge("br0").create();

        Namespace byName = owned(host.namespaces().open(name));
        assertThat(byName.inode()).isEqualTo(ns.inode());
        assertThat(byName.isOwned()).isFalse();
        assertThat(host.in(byName).findLink("br0")).isPresent();

        Namespace byPath = owned(host.namespaces().open(Path.of("/var/run/netns", name)));
        assertThat(byPath.inode()).isEqualTo(ns.inode());
        assertThat(host.in(byPath).links()).extracting(LinkInfo::name).contains("br0");

        // closing a borrowed handle keeps the namespace
        byName.close();
        byPath.close();
        assertThat(host.namespaces().list()).contains(name);
        assertThat(host.in(ns).findLink("br0")).isPresent();
    }

    @Test
    void openingAMissingNameFails() {
        String name = randomName();
        assertThatThrownBy(() -> host.namespaces().open(name)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteByName() {
        Namespace ns = newNamespace();
        String name = ns.name().orElseThrow();
        ns.detach();
        host.namespaces().delete(name);
        assertThat(host.namespaces().list()).doesNotContain(name);
    }

    @Test
    void anonymousNamespaceHoldsLinksWhileOpen() {
        Namespace anon = owned(host.namespaces().createAnonymous());
        assertThat(anon.name()).isEmpty();
        host.in(anon).bridge("br0").create();
        assertThat(host.in(anon).findLink("br0")).isPresent();
        assertThat(host.in(anon).links()).extracting(LinkInfo::name).containsExactlyInAnyOrder("lo", "br0");
    }

    @Test
    void runExecutesTheTaskInsideTheNamespaceOnAnotherThread() throws Exception {
        Namespace ns = newNamespace();
        Thread caller = Thread.currentThread();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        long inode = ns.run(() -> {
            ranOn.set(Thread.currentThread());
            return namespaceInodeOfCurrentThread();
        });
        assertThat(inode).isEqualTo(ns.inode());
        assertThat(ranOn.get()).isNotNull().isNotSameAs(caller);
        assertThat(namespaceInodeOfCurrentThread()).as("the caller's thread stays where it was")
                .isEqualTo(host.namespace().inode());

        assertThatThrownBy(() -> ns.run(() -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThatThrownBy(() -> ns.run(() -> {
            throw new java.io.IOException("io");
        })).isInstanceOf(NetlibException.class).hasCauseInstanceOf(java.io.IOException.class);
    }
}
