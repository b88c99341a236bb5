package dev.netlib.linux.internal.netlink;

import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_ACK;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_CREATE;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_DUMP;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_ECHO;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_EXCL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.KernelException;
import dev.netlib.linux.testing.ThrowawayNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kernel test (root): a real NETLINK_ROUTE socket inside a throwaway namespace. */
class NetlinkSocketKernelTest {
    private static final int RTM_NEWLINK = 16;
    private static final int RTM_GETLINK = 18;
    private static final int IFLA_IFNAME = 3;
    private static final int IFLA_LINKINFO = 18;
    private static final int IFLA_INFO_KIND = 1;

    private ThrowawayNetns ns;
    private NetlinkSocket sock;

    @BeforeEach
    void setUp() {
        ThrowawayNetns.assumeRoot();
        ns = ThrowawayNetns.create("nll", "sock");
        sock = ns.openSocket(NetlinkConstants.NETLINK_ROUTE);
    }

    @AfterEach
    void tearDown() {
        if (sock != null) {
            sock.close();
            sock.close(); // idempotent
        }
        if (ns != null) {
            ns.close();
        }
    }

    private static String nameOf(NetlinkMessage m) {
        return m.attributes(16, "RTM_NEWLINK", AttributeNames.NUMERIC).string(IFLA_IFNAME).orElse(null);
    }

    /** A bridge: this kernel has no dummy driver (CONFIG_DUMMY off). */
    private static void newBridge(MessageWriter w, String name, int extraFlags) {
        w.beginMessage(RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL | extraFlags);
        w.putZeros(16);
        w.attrString(IFLA_IFNAME, name);
        int li = w.beginNested(IFLA_LINKINFO);
        w.attrString(IFLA_INFO_KIND, "bridge");
        w.endNested(li);
        w.endMessage();
    }

    @Test
    void dumpLinksSeesLoopbackOnly() {
        List<String> names = sock.dump(RTM_GETLINK, new byte[16], "ip link show", NetlinkSocketKernelTest::nameOf);
        assertThat(names).containsExactly("lo");
        assertThat(sock.portId()).isNotZero();
    }

    @Test
    void pipelinedRequestsReportEachResult() {
        MessageWriter w = new MessageWriter();
        newBridge(w, "nll0", 0);
        newBridge(w, "nll0", 0);
        newBridge(w, "nll1", 0);
        List<NetlinkReply> r = sock.transact(w);
        assertThat(r).hasSize(3);
        assertThat(r.get(0).isSuccess()).isTrue();
        assertThat(r.get(1).isSuccess()).isFalse();
        assertThat(r.get(1).errno().orElseThrow().name()).isEqualTo("EEXIST");
        assertThat(r.get(1).exception("ip link add nll0 type bridge")).isInstanceOf(AlreadyExistsException.class);
        assertThat(r.get(2).isSuccess()).isTrue();
        List<String> names = sock.dump(RTM_GETLINK, new byte[16], "ip link show", NetlinkSocketKernelTest::nameOf);
        assertThat(names).containsExactlyInAnyOrder("lo", "nll0", "nll1");
        assertThat(ns.ip("-br", "link", "show")).contains("nll0").contains("nll1");
    }

    @Test
    void errorOfAnUnackedMessageAfterTheLastAckIsStillRead() {
        MessageWriter w = new MessageWriter();
        newBridge(w, "nll-u0", 0);
        // no NLM_F_ACK: the kernel answers only because it fails (EEXIST), after the last ack
        w.beginMessage(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
        w.putZeros(16);
        w.attrString(IFLA_IFNAME, "nll-u0");
        int li = w.beginNested(IFLA_LINKINFO);
        w.attrString(IFLA_INFO_KIND, "bridge");
        w.endNested(li);
        w.endMessage();
        List<NetlinkReply> r = sock.transact(w);
        assertThat(r.get(0).isSuccess()).isTrue();
        assertThat(r.get(1).isSuccess()).isFalse();
        assertThat(r.get(1).errno().orElseThrow().name()).isEqualTo("EEXIST");
        // and nothing of it is left queued for the next request
        assertThat(sock.dump(RTM_GETLINK, new byte[16], "ip link show", NetlinkSocketKernelTest::nameOf))
                .containsExactlyInAnyOrder("lo", "nll-u0");
    }

    @Test
    void failureCarriesExtAckText() {
        MessageWriter w = new MessageWriter();
        w.beginMessage(RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
        w.putZeros(16);
        w.attrString(IFLA_IFNAME, "nll-name-much-too-long-for-ifnamsiz");
        int li = w.beginNested(IFLA_LINKINFO);
        w.attrString(IFLA_INFO_KIND, "bridge");
        w.endNested(li);
        w.endMessage();
        assertThatThrownBy(() -> sock.request(w, "ip link add nll-name-much-too-long-for-ifnamsiz type bridge"))
                .isInstanceOfSatisfying(KernelException.class, e -> {
                    assertThat(e.errno().name()).isIn("EINVAL", "ERANGE"); // policy check: ERANGE on 6.x
                    assertThat(e.kernelMessage()).isPresent();
                    assertThat(e.getMessage()).contains("ip link add nll-name-much-too-long").contains(e.kernelMessage().get());
                });
    }

    @Test
    void getByNameReturnsTheMessageAndMissingIsNotFound() {
        MessageWriter w = new MessageWriter();
        w.beginMessage(RTM_GETLINK, NLM_F_ACK);
        w.putZeros(16);
        w.attrString(IFLA_IFNAME, "lo");
        w.endMessage();
        w.beginMessage(RTM_GETLINK, NLM_F_ACK);
        w.putZeros(16);
        w.attrString(IFLA_IFNAME, "nll-nothere");
        w.endMessage();
        List<NetlinkReply> r = sock.transact(w);
        assertThat(r.get(0).isSuccess()).isTrue();
        assertThat(r.get(0).messages()).hasSize(1);
        assertThat(nameOf(r.get(0).messages().get(0))).isEqualTo("lo");
        assertThat(r.get(1).errno().orElseThrow().name()).isEqualTo("ENODEV");
    }

    @Test
    void echoReturnsTheCreatedObject() {
        MessageWriter w = new MessageWriter();
        newBridge(w, "nll-echo", NLM_F_ECHO);
        List<NetlinkReply> r = sock.transact(w);
        assertThat(r.get(0).isSuccess()).isTrue();
        // Kernels since 6.3 echo RTM_NEWLINK to the requester (rtnl_configure_link with the request's portid)
        assertThat(r.get(0).messages()).hasSize(1);
        assertThat(nameOf(r.get(0).messages().get(0))).isEqualTo("nll-echo");
        assertThat(r.get(0).messages().get(0).type()).isEqualTo(RTM_NEWLINK);
    }

    @Test
    void manyPipelinedMessagesAndALargeDump() {
        MessageWriter w = new MessageWriter();
        for (int i = 0; i < 100; i++) {
            newBridge(w, "nll" + i, 0);
        }
        List<NetlinkReply> r = sock.transact(w);
        assertThat(r).allSatisfy(x -> assertThat(x.isSuccess()).isTrue());
        MessageWriter d = new MessageWriter();
        d.beginMessage(RTM_GETLINK, NLM_F_DUMP);
        d.putZeros(16);
        d.endMessage();
        assertThat(sock.dump(d, "ip link show", NetlinkSocketKernelTest::nameOf)).hasSize(101);
        // same writer again: the socket restamps a fresh sequence number
        assertThat(sock.dump(d, "ip link show", NetlinkSocketKernelTest::nameOf)).hasSize(101);
    }

    @Test
    void dumpLargerThanTheReceiveBufferReadsFully() {
        MessageWriter b = new MessageWriter();
        newBridge(b, "nll-addrs", 0);
        sock.request(b, "ip link add nll-addrs type bridge");
        MessageWriter get = new MessageWriter();
        get.beginMessage(RTM_GETLINK, NLM_F_ACK);
        get.putZeros(16);
        get.attrString(IFLA_IFNAME, "nll-addrs");
        get.endMessage();
        int index = sock.request(get, "ip link show nll-addrs").get(0).messages().get(0).payloadView().getInt(4);
        int count = 2000; // ~90 bytes each in the dump: well over RECV_BUFFER, so many datagrams
        MessageWriter w = new MessageWriter();
        for (int i = 0; i < count; i++) {
            byte[] ip = {10, 99, (byte) (i >> 8), (byte) i};
            w.beginMessage(20, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL); // RTM_NEWADDR
            w.putBytes(new byte[] {2, 32, 0, 0}); // AF_INET, /32, flags, scope
            w.putU32(index);
            w.attrBytes(2, ip); // IFA_LOCAL
            w.attrBytes(1, ip); // IFA_ADDRESS
            w.endMessage();
        }
        assertThat(sock.transact(w)).hasSize(count).allSatisfy(r -> assertThat(r.isSuccess()).isTrue());
        byte[] inet = new byte[8];
        inet[0] = 2; // AF_INET
        List<Integer> onBridge = sock.dump(22, inet, "ip -4 addr show", // RTM_GETADDR
                m -> m.payloadView().getInt(4) == index ? index : null);
        assertThat(onBridge).hasSize(count);
        assertThat((long) count * 80).isGreaterThan(NetlinkSocket.RECV_BUFFER);
    }

    @Test
    void noFdLeakOverManySockets() throws Exception {
        long before = openFds();
        for (int i = 0; i < 500; i++) {
            try (NetlinkSocket s = NetlinkSocket.open(NetlinkConstants.NETLINK_ROUTE)) {
                assertThat(s.portId()).isNotZero();
            }
        }
        assertThat(openFds()).isLessThanOrEqualTo(before);
    }

    private static long openFds() throws java.io.IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void dumpsStayConsistentWhileLinksChange() throws Exception {
        MessageWriter seed = new MessageWriter();
        for (int i = 0; i < 200; i++) {
            newBridge(seed, "nll-s" + i, 0);
        }
        assertThat(sock.transact(seed)).allSatisfy(r -> assertThat(r.isSuccess()).isTrue());
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        try (NetlinkSocket writer = ns.openSocket(NetlinkConstants.NETLINK_ROUTE)) {
            Thread churn = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    MessageWriter w = new MessageWriter();
                    newBridge(w, "nll-c" + (i % 4), 0);
                    writer.transact(w);
                    MessageWriter d = new MessageWriter();
                    d.beginMessage(17, NLM_F_ACK); // RTM_DELLINK by name
                    d.putZeros(16);
                    d.attrString(IFLA_IFNAME, "nll-c" + (i % 4));
                    d.endMessage();
                    writer.transact(d);
                    i++;
                }
            }, "nll-churn");
            churn.start();
            long deadline = System.nanoTime() + 3_000_000_000L;
            int dumps = 0;
            int busy = 0;
            try {
                while (System.nanoTime() < deadline && (sock.interruptedDumps() == 0 || dumps < 20)) {
                    try {
                        List<String> names = sock.dump(RTM_GETLINK, new byte[16], "ip link show", NetlinkSocketKernelTest::nameOf);
                        // a consistent snapshot: every seeded link, each name once
                        assertThat(names).doesNotHaveDuplicates();
                        assertThat(names.stream().filter(n -> n.startsWith("nll-s"))).hasSize(200);
                    } catch (dev.netlib.error.DumpInterruptedException e) {
                        // interrupted DUMP_RETRIES times in a row despite the pauses: a typed
                        // outcome, never half a table
                        assertThat(e.attempts()).isEqualTo(NetlinkSocket.DUMP_RETRIES);
                        assertThat(e.errno()).isEqualTo(dev.netlib.error.Errno.EBUSY);
                        assertThat(e).hasMessageContaining("ip link show")
                                .hasMessageContaining(NetlinkSocket.DUMP_RETRIES + " times (NLM_F_DUMP_INTR)");
                        busy++;
                    }
                    dumps++;
                }
            } finally {
                stop.set(true);
                churn.join();
            }
            System.out.println(dumps + " dumps under churn, " + sock.interruptedDumps() + " restarted after NLM_F_DUMP_INTR, "
                    + busy + " gave up");
            assertThat(dumps).isGreaterThan(0);
            assertThat(busy).as("dumps given up under churn, with backoff").isLessThan(Math.max(1, dumps / 4));
        }
    }

    /**
     * Sends, behind the socket's back, a GET of {@code lo} and one of a missing link with a sequence
     * number the socket never uses, so their answers (an RTM_NEWLINK, a success ack, an ENODEV
     * ack) wait in the receive queue as stale messages.
     */
    private void queueStaleReplies() {
        MessageWriter w = new MessageWriter();
        w.beginMessage(RTM_GETLINK, NLM_F_ACK);
        w.putZeros(16);
        w.attrString(IFLA_IFNAME, "lo");
        w.endMessage();
        w.beginMessage(RTM_GETLINK, NLM_F_ACK);
        w.putZeros(16);
        w.attrString(IFLA_IFNAME, "nll-nothere");
        w.endMessage();
        w.stamp(0x7ffffff0, sock.portId()); // the socket's own numbers stay below 0x40000000 + a few
        byte[] bytes = w.toByteArray();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        long sent = dev.netlib.linux.internal.ffi.Syscalls.libc().sendto(sock.fd(), b, bytes.length, 0, null, 0);
        assertThat(sent).as("raw sendto of the stale requests").isEqualTo(bytes.length);
    }

    @Test
    void transactSkipsRepliesWithAnotherSequenceNumber() {
        queueStaleReplies();
        MessageWriter w = new MessageWriter();
        newBridge(w, "nll-seq", 0);
        List<NetlinkReply> r = sock.transact(w);
        assertThat(r).hasSize(1);
        assertThat(r.get(0).isSuccess()).as("the stale ENODEV is not this request's answer").isTrue();
        assertThat(r.get(0).messages()).as("the stale RTM_NEWLINK of lo is not this request's answer").isEmpty();
    }

    @Test
    void dumpSkipsRepliesWithAnotherSequenceNumber() {
        queueStaleReplies();
        assertThat(sock.dump(RTM_GETLINK, new byte[16], "ip link show", NetlinkSocketKernelTest::nameOf))
                .as("the stale RTM_NEWLINK of lo is not part of the dump, the stale ENODEV does not fail it")
                .containsExactly("lo");
    }

    @Test
    void closedSocketRefuses() throws Exception {
        int fd = sock.fd();
        assertThat(Files.exists(Path.of("/proc/self/fd/" + fd))).isTrue();
        sock.close();
        assertThat(sock.fd()).isEqualTo(-1);
        assertThatThrownBy(() -> sock.transact(new MessageWriter())).isInstanceOf(IllegalStateException.class);
    }
}
