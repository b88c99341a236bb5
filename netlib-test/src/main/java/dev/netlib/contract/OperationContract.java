package dev.netlib.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.KernelException;
import dev.netlib.error.NotFoundException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * One voice: the same failure gives, on every backend, the same exception type, errno and
 * {@link KernelException#operation()}, the command line {@code dev.netlib.spi.change.Commands}
 * renders for the change in its namespace. Since both backends run this suite, the operations
 * of FakeKernel and of the Linux backend are pinned to each other.
 */
public abstract class OperationContract extends ContractSupport {

    @Test
    void failuresNameTheCommandInTheirNamespace() {
        Namespace ns = newNamespace();
        String name = ns.name().orElseThrow();
        Netlib in = host.in(ns);
        in.bridge("br0").create();

        expect(() -> in.bridge("br0").create(), AlreadyExistsException.class, "EEXIST",
                "ip -n " + name + " link add name br0 type bridge");
        expect(() -> in.batch().linkUp("nodev0").apply(), NotFoundException.class, "ENODEV",
                "ip -n " + name + " link set dev nodev0 up");
        expect(() -> in.batch().addAddress("nodev0", "10.1.0.1/24").apply(), NotFoundException.class, "ENODEV",
                "ip -n " + name + " addr add 10.1.0.1/24 dev nodev0");
        expect(() -> in.veth("br0").peer("vp0", p -> p.up()).create(), AlreadyExistsException.class, "EEXIST",
                "ip -n " + name + " link add name br0 type veth peer name vp0 && ip -n " + name + " link set dev vp0 up");
        expect(() -> in.batch().addDefaultRoute("10.200.0.1").apply(), KernelException.class, "ENETUNREACH",
                "ip -n " + name + " route add default via 10.200.0.1");
        expect(() -> in.sysctls().set("net.ipv4.no_such_key", "1"), NotFoundException.class, "ENOENT",
                "ip netns exec " + name + " sysctl -w net.ipv4.no_such_key=1");
        expect(() -> in.sysctls().get("net.ipv4.no_such_key"), NotFoundException.class, "ENOENT",
                "ip netns exec " + name + " sysctl -n net.ipv4.no_such_key");
    }

    @Test
    void theRootNamespaceHasNoPrefixAndNeverNull() {
        Namespace ns = newNamespace();
        Netlib in = host.in(ns);
        assertThat(in.batch().linkUp("lo").commands()).containsExactly("ip -n " + ns.name().orElseThrow() + " link set dev lo up");
        assertThat(host.batch().linkUp("lo").commands()).containsExactly("ip link set dev lo up");
        try (Namespace anon = owned(host.namespaces().createAnonymous())) {
            assertThat(host.in(anon).batch().linkUp("lo").commands())
                    .containsExactly("ip -n anon-" + anon.inode() + " link set dev lo up");
        }
    }

    @Test
    void closingTheHandleFirstDeletesTheNamespacesItCreated() {
        String name = randomName();
        Namespace ns;
        try (Netlib second = Netlib.open(backend)) {
            ns = second.namespaces().create(name);
            second.in(ns).link("lo").up();
        }
        assertThat(backend.listNamespaces()).as("no named namespace left behind").doesNotContain(name);
        assertThat(ns.isClosed()).as("the deleted namespace's handle").isTrue();
        ns.close(); // nothing left to do, and no error
        Namespace kept;
        try (Netlib third = Netlib.open(backend)) {
            kept = owned(third.namespaces().create(randomName()).detach());
        }
        assertThat(kept.isClosed()).as("a detached namespace is not the handle's to delete").isFalse();
        assertThat(backend.listNamespaces()).contains(kept.name().orElseThrow());
    }

    private static void expect(ThrowingCallable call, Class<? extends KernelException> type, String errno, String operation) {
        KernelException e = catchThrowableOfType(call, KernelException.class);
        assertThat(e).as("%s must fail", operation).isNotNull();
        assertThat(e).as(operation).isInstanceOf(type);
        assertThat(e.errno().name()).as(operation).isEqualTo(errno);
        assertThat(e.operation()).isEqualTo(operation);
    }
}
