package dev.netlib.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.model.Ipv6AddrGenMode;
import dev.netlib.model.LinkInfo;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A link creation that is refused changes nothing, whatever follow-up settings it carries (issue
 * 11). On Linux a veth's peer state, its master, an addrgenmode and the near end of a pair whose
 * peer is born elsewhere are separate requests pipelined behind the create; sent by name they
 * changed the link that already had the name when the create failed with EEXIST. Each test makes a
 * create fail on a taken name and compares every link of both namespaces before and after; one
 * test shows the same follow-ups do apply when the create succeeds.
 *
 * <p>Fixture, in two fresh namespaces: {@code vx}/{@code vy} (a veth pair, down) and bridge
 * {@code brm} (down) in one, {@code vq}/{@code vr} (down) in the other.
 */
public abstract class FailedCreateContract extends ContractSupport {
    private Netlib ns;
    private Namespace other;

    @BeforeEach
    final void existingLinks() {
        ns = newHost();
        other = newNamespace();
        ns.veth("vx").peer("vy").create();
        ns.bridge("brm").create();
        host.in(other).veth("vq").peer("vr").create();
    }

    @Test
    void peerUpOnATakenPeerName() {
        refusedAndNothingChanged(() -> ns.veth("vnew").up().peer("vy", p -> p.up()).create());
    }

    @Test
    void peerMasterOnATakenPeerName() {
        refusedAndNothingChanged(() -> ns.veth("vnew").peer("vy", p -> p.master("brm")).create());
    }

    @Test
    void peerAddrGenModeOnATakenPeerName() {
        refusedAndNothingChanged(() -> ns.veth("vnew").peer("vy", p -> p.ipv6LinkLocal(false).up()).create());
    }

    @Test
    void peerFollowUpsOnATakenMainName() {
        refusedAndNothingChanged(() -> ns.veth("vx").peer("vnew", p -> p.up().master("brm").ipv6LinkLocal(false)).create());
    }

    @Test
    void nearUpWithThePeerBornElsewhere() {
        refusedAndNothingChanged(() -> ns.veth("vx").up().peer("vz", p -> p.namespace(other).up()).create());
    }

    @Test
    void nearMasterWithThePeerBornElsewhere() {
        refusedAndNothingChanged(() -> ns.veth("vx").master("brm").peer("vz", p -> p.namespace(other).up()).create());
    }

    @Test
    void nearAddrGenModeWithThePeerBornElsewhere() {
        refusedAndNothingChanged(() -> ns.veth("vx").ipv6LinkLocal(false).up().peer("vz", p -> p.namespace(other)).create());
    }

    @Test
    void peerAddrGenModeInItsNamespaceOnATakenPeerName() {
        refusedAndNothingChanged(() -> ns.veth("vnew").peer("vq", p -> p.namespace(other).ipv6LinkLocal(false).up()).create());
    }

    @Test
    void bridgeAddrGenModeOnATakenName() {
        refusedAndNothingChanged(() -> ns.bridge("brm").ipv6LinkLocal(false).up().create());
    }

    @Test
    void theSameFollowUpsApplyWhenTheCreateSucceeds() {
        ns.veth("va").up().ipv6LinkLocal(false).peer("vb", p -> p.up().master("brm").ipv6LinkLocal(false)).create();
        LinkInfo va = ns.link("va").info();
        LinkInfo vb = ns.link("vb").info();
        assertThat(va.adminUp()).isTrue();
        assertThat(va.addrGenMode()).isEqualTo(Ipv6AddrGenMode.NONE);
        assertThat(vb.adminUp()).isTrue();
        assertThat(vb.masterName()).isEqualTo("brm");
        assertThat(vb.addrGenMode()).isEqualTo(Ipv6AddrGenMode.NONE);

        ns.veth("vc").up().master("brm").peer("vd", p -> p.namespace(other).up()).create();
        assertThat(ns.link("vc").info().adminUp()).isTrue();
        assertThat(ns.link("vc").info().masterName()).isEqualTo("brm");
        assertThat(host.in(other).link("vd").info().adminUp()).isTrue();
    }

    private void refusedAndNothingChanged(ThrowingCallable create) {
        Map<String, String> here = state(ns);
        Map<String, String> there = state(host.in(other));
        assertThatThrownBy(create).isInstanceOf(AlreadyExistsException.class);
        assertThat(state(ns)).as("links of the namespace the create was sent to").isEqualTo(here);
        assertThat(state(host.in(other))).as("links of the peer's namespace").isEqualTo(there);
    }

    /** Name to what a follow-up could change: up, master, addrgenmode (and the set of names itself). */
    private static Map<String, String> state(Netlib n) {
        Map<String, String> out = new TreeMap<>();
        for (LinkInfo l : n.links()) {
            out.put(l.name(), "up=" + l.adminUp() + " master=" + l.masterName() + " addrgenmode=" + l.addrGenMode());
        }
        return out;
    }
}
