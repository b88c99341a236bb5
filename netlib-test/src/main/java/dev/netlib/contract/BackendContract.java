package dev.netlib.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.KernelException;
import dev.netlib.error.NotFoundException;
import dev.netlib.model.BridgeSpec;
import dev.netlib.model.LinkAttributes;
import dev.netlib.model.LinkInfo;
import dev.netlib.spi.change.AddAddress;
import dev.netlib.spi.change.CreateLink;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.value.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link dev.netlib.spi.Backend} must show, stated as tests that hold on the
 * real Linux kernel (6.x) and on FakeKernel. A backend's test subclasses this and implements
 * {@link #createBackend()}; the tests are split by topic over the superclasses
 * ({@link LinkContract}, {@link AddressRouteContract}, {@link NeighborFdbContract}, {@link VxlanFdbContract},
 * {@link NamespaceContract}, {@link KernelDetailsContract}); this class adds sysctls and batches.
 *
 * <p>Every test works only in namespaces it creates ({@code nlt-<random>}) and deletes them
 * afterwards, even when it fails; run as root it never changes the machine's own network.
 *
 * <p>What Linux 6.18 does with a plain RTM_NEWLINK that a backend has to make up for (checked with
 * iproute2 in throwaway namespaces), each pinned by its own test:
 * <ul>
 *   <li>IFF_UP in the veth peer's part of the request fails with ENOTCONN (veth_open() before
 *       the pair is linked): bring the peer up afterwards ({@code vethPeerUpInTheCreateRequest});</li>
 *   <li>IFLA_MASTER in the peer's part is silently ignored: enslave the peer afterwards
 *       ({@code vethPeerMasterInTheCreateRequest});</li>
 *   <li>IFLA_AF_SPEC (addrgenmode) in a create request fails with EAFNOSUPPORT: set it right
 *       after creating, before the link goes up, or it already has its fe80 address
 *       ({@code ipv6LinkLocalOffAtCreation});</li>
 *   <li>kernels without CONFIG_DUMMY or CONFIG_BRIDGE_VLAN_FILTERING answer EOPNOTSUPP: those
 *       tests are skipped with the reason;</li>
 *   <li>namespace destruction is asynchronous: peers in other namespaces vanish a little later
 *       (the tests wait up to {@link #settleTimeout()}).</li>
 * </ul>
 */
public abstract class BackendContract extends KernelDetailsContract {

    @Test
    void sysctlsReadAndWriteInsideTheNamespace() {
        Namespace ns = newNamespace();
        Netlib in = host.in(ns);
        String hostForwarding = host.sysctls().get("net.ipv4.ip_forward");
        assertThat(in.sysctls().get("net.ipv4.ip_forward")).isEqualTo("0");
        in.sysctls().set("net.ipv4.ip_forward", "1");
        assertThat(in.sysctls().get("net.ipv4.ip_forward")).isEqualTo("1");
        assertThat(in.sysctls().get("net/ipv4/ip_forward")).as("slash form").isEqualTo("1");
        assertThat(host.sysctls().get("net.ipv4.ip_forward")).as("the machine's own value").isEqualTo(hostForwarding);
        assertThat(in.sysctls().get("net.ipv6.conf.all.disable_ipv6")).isEqualTo("0");
    }

    @Test
    void perDeviceSysctls() {
        Netlib in = newHost();
        in.veth("v0").peer("v1").create();
        assertThat(in.sysctls().get("net.ipv6.conf.v0.disable_ipv6")).isEqualTo("0");
        in.sysctls().set("net.ipv4.conf.v0.rp_filter", "2");
        assertThat(in.sysctls().get("net.ipv4.conf.v0.rp_filter")).isEqualTo("2");
        assertThat(in.sysctls().get("net.ipv4.conf.v1.rp_filter")).isEqualTo("0");
    }

    @Test
    void unknownSysctlsAreNotFound() {
        Netlib in = newHost();
        assertThatThrownBy(() -> in.sysctls().get("net.ipv4.no_such_key")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> in.sysctls().set("net.ipv4.no_such_key", "1")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> in.sysctls().get("net.ipv4.conf.nosuchdev.forwarding")).isInstanceOf(NotFoundException.class);
        assertErrno("EINVAL", () -> in.sysctls().set("net.ipv4.ip_forward", "yes"));
    }

    @Test
    void everyChangeOfABatchIsAttemptedAndTheFirstFailureReported() {
        Namespace ns = newNamespace();
        List<KernelChange> changes = List.of(
                new CreateLink("br0", LinkAttributes.NONE, BridgeSpec.DEFAULT),
                new CreateLink("br0", LinkAttributes.NONE, BridgeSpec.DEFAULT),
                new AddAddress("br0", IpPrefix.parse("10.3.0.1/24")),
                new AddAddress("nosuch", IpPrefix.parse("10.4.0.1/24")),
                new CreateLink("br1", LinkAttributes.NONE, BridgeSpec.DEFAULT));
        KernelException e = catchThrowableOfType(() -> backend.apply(ns.ref(), changes), KernelException.class);
        assertThat(e).isNotNull();
        assertThat(e.errno().name()).isEqualTo("EEXIST");
        assertThat(e.batchIndex()).isEqualTo(1);
        assertThat(e.appliedInBatch()).containsExactly(0, 2, 4);
        Netlib in = host.in(ns);
        assertThat(in.links()).extracting(LinkInfo::name).containsExactlyInAnyOrder("lo", "br0", "br1");
        assertThat(in.addresses().list("br0")).extracting(a -> a.address().toString()).contains("10.3.0.1/24");
    }

    @Test
    void aBatchThroughThePublicApi() {
        Namespace ns = newNamespace();
        host.in(newNamespace()).veth("h0").peer("eth0", p -> p.namespace(ns)).create();
        Netlib in = host.in(ns);
        in.batch().linkUp("lo").linkUp("eth0").addAddress("eth0", "10.5.0.2/24").apply();
        assertThat(info(in, "eth0").adminUp()).isTrue();
        assertThat(in.addresses().list("eth0")).extracting(a -> a.address().toString()).contains("10.5.0.2/24");
        in.batch().addDefaultRoute("10.5.0.1").apply();
        assertThat(in.routes().defaults()).singleElement().extracting(r -> r.device()).isEqualTo("eth0");
    }

    @Test
    void badInputNeverReachesTheBackend() {
        Netlib in = newHost();
        assertThatThrownBy(() -> in.bridge("bad/name")).isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> in.addresses().add("lo", "10.0.0.1/33")).isInstanceOf(InvalidConfigException.class);
        assertThat(in.links()).extracting(LinkInfo::name).containsExactly("lo");
    }
}
