package dev.netlib.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.linux.internal.netlink.NetlinkSocket;
import dev.netlib.linux.internal.netns.NlnSupport;
import org.junit.jupiter.api.Test;

/**
 * Indexes the Linux backend learned stay true when someone else changes the links: a bridge that
 * another process deletes and makes again under the same name (a new ifindex) is looked up afresh
 * after the kernel refuses the old index (ENODEV), and the change goes through. Needs root and
 * iproute2 (the other process); works in a namespace of its own ({@code nlk-*}).
 */
class KnownIndexesKernelTest {
    @Test
    void aLinkReplacedBehindNetlibsBackIsLookedUpAgain() {
        NlnSupport.assumeRoot();
        String name = NlnSupport.uniqueName("nlk");
        try (Netlib root = Netlib.open(); Namespace ns = root.namespaces().create(name)) {
            Netlib host = root.in(ns);
            host.bridge("br0").create();
            host.veth("v0").master("br0").peer("v1").create(); // br0's index is learned here
            int before = host.link("br0").info().index();

            NlnSupport.sh("ip", "-n", name, "link", "del", "br0");
            NlnSupport.sh("ip", "-n", name, "link", "add", "br0", "type", "bridge");
            int after = host.link("br0").info().index();
            assertThat(after).isNotEqualTo(before);

            NetlinkSocket.Traffic t0 = NetlinkSocket.threadTraffic();
            host.veth("v2").master("br0").peer("v3").create();
            NetlinkSocket.Traffic sent = NetlinkSocket.threadTraffic().since(t0);
            assertThat(host.link("v2").info().masterName()).isEqualTo("br0");
            assertThat(sent.sends()).as("the create on the stale index, the lookup, the create again").isEqualTo(3);

            NetlinkSocket.Traffic t2 = NetlinkSocket.threadTraffic();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> host.veth("v0").master("br0").peer("v9").create())
                    .isInstanceOf(dev.netlib.error.AlreadyExistsException.class);
            // a failure on cached indexes has them looked up again (a stale one can give any error,
            // EEXIST too); br0's is unchanged, so the failure is real and the create is not sent again
            assertThat(NetlinkSocket.threadTraffic().since(t2).sends()).as("the create and br0's lookup, no second create").isEqualTo(2);

            NetlinkSocket.Traffic t1 = NetlinkSocket.threadTraffic();
            host.veth("v4").master("br0").peer("v5").create();
            assertThat(NetlinkSocket.threadTraffic().since(t1).sends()).as("the new index is known now").isEqualTo(1);
        }
    }

    @Test
    void aLinkThatWentWithAnotherNamespacesDeleteIsNotAddressedByItsOldIndex() {
        // fuzzer seed 2959: deleting v0 in A deletes the macvlan moved from it to B
        // (macvlan_device_event on NETDEV_UNREGISTER); B's next link takes the macvlan's index,
        // and B's session, which knew e0 by that index, added e0's address to it
        NlnSupport.assumeRoot();
        try (Netlib root = Netlib.open();
             Namespace a = root.namespaces().create(NlnSupport.uniqueName("nlk"));
             Namespace b = root.namespaces().create(NlnSupport.uniqueName("nlk"))) {
            Netlib inA = root.in(a);
            Netlib inB = root.in(b);
            inA.veth("v0").peer("v2").create();
            inA.macvlan("e0").parent("v0").create();
            inB.bridge("br1").create();
            inA.link("e0").moveTo(b);
            int e0 = inB.link("e0").info().index();
            inB.neighbors().add("e0", "10.0.0.7", "02:00:00:00:00:07"); // B's session knows e0 now
            inA.link("v0").delete();
            assertThat(inB.findLink("e0")).isEmpty();
            inB.veth("v1").peer("v3").create();
            assertThat(inB.links()).as("a link of B has e0's old index").anyMatch(l -> l.index() == e0);

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> inB.addresses().add("e0", "fd01::1/128"))
                    .isInstanceOf(dev.netlib.error.NotFoundException.class);
            assertThat(inB.addresses().list()).noneMatch(x -> x.address().toString().equals("fd01::1/128"));
        }
    }

    @Test
    void aPeerThatWentWithADeletedNamespaceIsNotAddressedByItsOldIndex() {
        peerOfADeadNamespace(Death.DELETED);
    }

    @Test
    void aPeerThatWentWithAReleasedAnonymousNamespaceIsNotAddressedByItsOldIndex() {
        peerOfADeadNamespace(Death.ANONYMOUS_RELEASED);
    }

    @Test
    void aPeerThatWentWhenTheLastHandleOnADeletedNamespaceClosedIsNotAddressedByItsOldIndex() {
        peerOfADeadNamespace(Death.HELD_PAST_ITS_DELETE);
    }

    /** How A dies. */
    private enum Death {
        /** {@code ip netns del A}: its name was the last reference. */
        DELETED,
        /** Anonymous and detached: netlib releases the only reference. */
        ANONYMOUS_RELEASED,
        /**
         * Deleted while a second handle (opened by its name) holds it: it lives on, B's session
         * learns p0 after the delete, and A dies when that handle is closed, a release of a named
         * namespace's descriptor (fuzzer's namespace mode: {@code exec 7</var/run/netns/A; ip netns
         * del A; ...; exec 7<&-}).
         */
        HELD_PAST_ITS_DELETE
    }

    /**
     * A's death deletes its veths, and so their peers in B (cleanup_net ->
     * default_device_exit_batch -> veth_dellink takes the peer along); a link moved into B keeps
     * its index when it is free there (dev_change_net_namespace), so it can take the peer's, and
     * B's session, which knew the peer by that index, must not address it.
     */
    private static void peerOfADeadNamespace(Death death) {
        NlnSupport.assumeRoot();
        String nameC = NlnSupport.uniqueName("nlk");
        try (Netlib root = Netlib.open();
             Namespace b = root.namespaces().create(NlnSupport.uniqueName("nlk"));
             Namespace c = root.namespaces().create(nameC)) {
            Netlib inB = root.in(b);
            int p0;
            // detached: closing the anonymous one releases netlib's only reference, not a delete
            try (Namespace a = death == Death.ANONYMOUS_RELEASED ? root.namespaces().createAnonymous().detach()
                    : root.namespaces().create(NlnSupport.uniqueName("nlk"));
                 Namespace held = death == Death.HELD_PAST_ITS_DELETE ? root.namespaces().open(a.name().orElseThrow()) : null) {
                root.in(a).veth("v0").peer("p0", peer -> peer.namespace(b)).create();
                p0 = inB.link("p0").info().index();
                inB.neighbors().add("p0", "10.0.0.7", "02:00:00:00:00:07"); // B's session knows p0 by its index
                if (death != Death.ANONYMOUS_RELEASED) {
                    a.delete();
                }
                if (held != null) {
                    assertThat(inB.findLink("p0")).as("A lives while a handle holds it").isPresent();
                    inB.neighbors().add("p0", "10.0.0.8", "02:00:00:00:00:07"); // learned again after the delete's forget
                }
            }
            awaitGone(inB, "p0");
            moveInWithIndex(nameC, inB, b.name().orElseThrow(), p0);

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> inB.addresses().add("p0", "fd01::1/128"))
                    .isInstanceOf(dev.netlib.error.NotFoundException.class);
            assertThat(inB.addresses().list()).noneMatch(x -> x.address().toString().equals("fd01::1/128"));
        }
    }

    @Test
    void aBridgeStaysKnownWhenAnotherNamespaceDies() {
        // lo and bridges are netns-local and have no lower device: no other namespace's change can
        // remove them, so their known indexes survive what makes the session forget the others
        NlnSupport.assumeRoot();
        String nameB = NlnSupport.uniqueName("nlk");
        try (Netlib root = Netlib.open(); Namespace b = root.namespaces().create(nameB)) {
            Netlib inB = root.in(b);
            inB.bridge("br0").create(); // known from its creation
            NlnSupport.sh("ip", "-n", nameB, "link", "add", "br1", "type", "bridge"); // known from a lookup, below
            inB.veth("h1").master("br1").peer("h2").create();
            try (Namespace a = root.namespaces().create(NlnSupport.uniqueName("nlk"))) {
                inB.veth("p0").master("br0").peer("v0", peer -> peer.namespace(a)).create();
                a.delete();
            }
            awaitGone(inB, "p0");

            for (String bridge : new String[] {"br0", "br1"}) {
                NetlinkSocket.Traffic t0 = NetlinkSocket.threadTraffic();
                inB.veth("x" + bridge).master(bridge).peer("y" + bridge).create();
                assertThat(NetlinkSocket.threadTraffic().since(t0).sends()).as(bridge + "'s index still known: the create alone").isEqualTo(1);
                assertThat(inB.link("x" + bridge).info().masterName()).isEqualTo(bridge);
            }
        }
    }

    @Test
    void aBridgeStaysKnownWhenAPortIsDeletedButNotWhenItIsDeletedItself() {
        // a container's removal: its veth goes, and the next container's veth joins the same bridge
        NlnSupport.assumeRoot();
        String nameB = NlnSupport.uniqueName("nlk");
        String nameC = NlnSupport.uniqueName("nlk");
        try (Netlib root = Netlib.open(); Namespace b = root.namespaces().create(nameB); Namespace c = root.namespaces().create(nameC)) {
            Netlib inB = root.in(b);
            inB.bridge("br0").create();
            inB.bridge("br1").create();
            int br1 = inB.link("br1").info().index();
            inB.veth("v0").master("br0").peer("w0").create();
            inB.link("v0").delete(); // w0 goes with it

            NetlinkSocket.Traffic t0 = NetlinkSocket.threadTraffic();
            inB.veth("v1").master("br0").peer("w1").create();
            assertThat(NetlinkSocket.threadTraffic().since(t0).sends()).as("br0's index still known: the create alone").isEqualTo(1);

            // a deleted bridge is forgotten: its index, taken by a link moved in, must not be used
            inB.link("br1").delete();
            moveInWithIndex(nameC, inB, nameB, br1);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> inB.addresses().add("br1", "fd01::1/128"))
                    .isInstanceOf(dev.netlib.error.NotFoundException.class);
            assertThat(inB.addresses().list()).noneMatch(x -> x.address().toString().equals("fd01::1/128"));
        }
    }

    /**
     * Makes a veth q0 with ifindex {@code index} in namespace {@code from} and moves it into
     * {@code to}, where it keeps that index (dev_change_net_namespace keeps a free one): what an
     * old index a session still knows can come to mean.
     */
    private static void moveInWithIndex(String from, Netlib to, String toName, int index) {
        NlnSupport.sh("ip", "-n", from, "link", "add", "q0", "index", Integer.toString(index), "type", "veth", "peer", "name", "q1");
        NlnSupport.sh("ip", "-n", from, "link", "set", "q0", "netns", toName);
        assertThat(to.link("q0").info().index()).as("q0 kept its index").isEqualTo(index);
    }

    /** Waits until {@code name} is gone from {@code ns}: a dead namespace's links go in the kernel's cleanup_net work, after the delete returned. */
    private static void awaitGone(Netlib ns, String name) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (ns.findLink(name).isPresent()) {
            assertThat(System.nanoTime() - deadline).as(name + " still there after 10 s").isNegative();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
