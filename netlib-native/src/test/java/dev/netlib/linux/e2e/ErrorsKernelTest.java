package dev.netlib.linux.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Link;
import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.EffectiveCapabilities;
import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;
import dev.netlib.error.NotFoundException;
import dev.netlib.error.PermissionDeniedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kernel errors reach the caller typed, with their errno, the operation in {@code ip} terms and
 * the kernel's own extended-ack words.
 */
class ErrorsKernelTest {
    private final TestNamespaces namespaces = new TestNamespaces();

    @AfterEach
    void noNamespaceLeft() {
        assertThat(namespaces.cleanUp()).as("test namespaces left after the handles were closed").isEmpty();
    }

    @Test
    void eexistMapsToAlreadyExists() {
        try (Netlib netlib = E2e.openOrSkip(); Namespace ns = namespaces.create(netlib, "errex")) {
            Netlib in = netlib.in(ns);
            in.bridge("br0").create();
            assertThatThrownBy(() -> in.bridge("br0").create())
                    .isInstanceOfSatisfying(AlreadyExistsException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.EEXIST);
                        assertThat(e.getMessage()).contains("br0").contains("EEXIST");
                        assertThat(e.operation()).contains("link add").contains("br0");
                    });
            // a veth whose name is taken, even with a free peer name
            assertThatThrownBy(() -> in.veth("br0").peer("vp0").create()).isInstanceOf(AlreadyExistsException.class);
            // an address that is already there
            in.addresses().add("br0", "10.1.2.3/24");
            assertThatThrownBy(() -> in.addresses().add("br0", "10.1.2.3/24"))
                    .isInstanceOfSatisfying(AlreadyExistsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
            // a namespace name that is taken
            String name = ns.name().orElseThrow();
            assertThatThrownBy(() -> netlib.namespaces().create(name))
                    .isInstanceOf(AlreadyExistsException.class).hasMessageContaining(name);
            // the failures changed nothing
            assertThat(in.links()).extracting(l -> l.name()).containsExactlyInAnyOrder("lo", "br0");
        }
    }

    @Test
    void enodevMapsToNotFound() {
        try (Netlib netlib = E2e.openOrSkip(); Namespace ns = namespaces.create(netlib, "errnd")) {
            Netlib in = netlib.in(ns);
            Link br = in.bridge("br0").create();
            E2e.skipUnlessIp();
            // deleted behind netlib's back: the handle's requests now reach the kernel for a missing device
            E2e.ip("-n", ns.name().orElseThrow(), "link", "del", "br0");
            assertThatThrownBy(br::delete).isInstanceOfSatisfying(NotFoundException.class, e -> {
                assertThat(e.errno().name()).isIn("ENODEV", "ENOENT");
                assertThat(e.getMessage()).contains("br0");
            });
            assertThatThrownBy(br::up).isInstanceOf(NotFoundException.class).hasMessageContaining("br0");
            assertThatThrownBy(() -> in.link("br0")).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> in.addresses().add("br0", "10.1.2.3/24")).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> in.veth("v0").master("br0").peer("v1").create())
                    .as("a master that does not exist").isInstanceOf(NotFoundException.class).hasMessageContaining("br0");
            assertThatThrownBy(() -> netlib.namespaces().open(E2e.name("missing"))).isInstanceOf(NotFoundException.class);
            assertThat(in.links()).extracting(l -> l.name()).containsExactly("lo");
        }
    }

    @Test
    void invalidVxlanCarriesTheKernelsExtendedAckText() {
        try (Netlib netlib = E2e.openOrSkip(); Namespace ns = namespaces.create(netlib, "errvx")) {
            Netlib in = netlib.in(ns);
            // the kernel (vxlan_config_validate) refuses a multicast local address, and says why in the extack
            assertThatThrownBy(() -> in.vxlan("vx0").vni(10).local("239.1.1.1").create())
                    .isInstanceOfSatisfying(KernelException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.EINVAL);
                        assertThat(e.kernelMessage()).as("extended ack").isPresent();
                        assertThat(e.kernelMessage().orElseThrow()).containsIgnoringCase("multicast");
                        assertThat(e.getMessage()).contains(e.kernelMessage().orElseThrow()).contains("vx0");
                    });
            // a second device with the same VNI and port: EEXIST, and the kernel's reason
            in.vxlan("vx1").vni(10).create();
            assertThatThrownBy(() -> in.vxlan("vx2").vni(10).create())
                    .isInstanceOfSatisfying(AlreadyExistsException.class, e -> {
                        assertThat(e.kernelMessage()).as("extended ack").isPresent();
                        assertThat(e.kernelMessage().orElseThrow()).containsIgnoringCase("VNI");
                        assertThat(e.getMessage()).contains(e.kernelMessage().orElseThrow());
                    });
            assertThat(in.findLink("vx0")).isEmpty();
            assertThat(in.findLink("vx2")).isEmpty();
        }
    }

    /** We run as root, so the real EPERM path cannot be provoked here; its mapping and text can be checked. */
    @Test
    void epermMapsToPermissionDeniedNamingTheCapability() {
        KernelException e = KernelException.of(Errno.EPERM, "ip link add br0 type bridge", "Operation not permitted");
        assertThat(e).isInstanceOf(PermissionDeniedException.class);
        assertThat(e.getMessage()).contains("CAP_NET_ADMIN").contains("ip link add br0 type bridge").contains("EPERM");
        KernelException eacces = KernelException.of(Errno.EACCES, "ip netns add x", null);
        assertThat(eacces).isInstanceOf(PermissionDeniedException.class);
        assertThat(eacces.getMessage()).contains("CAP_NET_ADMIN");
        // with both capabilities (root) the message must not send the caller to become root; without, it must
        if (EffectiveCapabilities.holds(EffectiveCapabilities.mask(), EffectiveCapabilities.CAP_NET_ADMIN, EffectiveCapabilities.CAP_SYS_ADMIN)) {
            assertThat(e.getMessage()).contains("this process has CAP_NET_ADMIN and CAP_SYS_ADMIN").doesNotContain("run as root");
        } else {
            assertThat(e.getMessage()).contains("run as root");
        }
    }

    /** A refusal of the kernel's own that comes as EPERM, with root: the message says it is not about privileges. */
    @Test
    void epermOfTheKernelsOwnDoesNotBlamePrivileges() {
        try (Netlib netlib = E2e.openOrSkip(); Namespace ns = namespaces.create(netlib, "errperm")) {
            Netlib in = netlib.in(ns);
            in.bridge("br0").create();
            in.veth("p0").peer("p1").create();
            in.link("p1").master("br0");
            assertThatThrownBy(() -> in.fdb().entry("p1", "02:00:00:00:00:41").master().dynamic().add())
                    .isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("fdb add 02:00:00:00:00:41 dev p1 master dynamic").hasMessageContaining("EPERM")
                    .hasMessageContaining("the kernel refused the operation itself");
        }
    }
}
