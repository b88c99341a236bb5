package dev.netlib.linux.netlink;

import static dev.netlib.linux.netlink.NetlinkConstants.NLM_F_ACK;
import static dev.netlib.linux.netlink.NetlinkConstants.NLM_F_CREATE;
import static dev.netlib.linux.netlink.NetlinkConstants.NLM_F_DUMP;
import static dev.netlib.linux.netlink.NetlinkConstants.NLM_F_ECHO;
import static dev.netlib.linux.netlink.NetlinkConstants.NLM_F_EXCL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.KernelException;
import dev.netlib.linux.testing.NllNetns;
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

    private NllNetns ns;
    private NetlinkSocket sock;

    @BeforeEach
    void setUp() {
        NllNetns.assumeRoot();
        ns = NllNetns.create("sock");
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
        // Kernels since 6.3 echo RTM_NEWLINK to the requester (rtnl_newlink_create -> rtnl_configure_link with portid)
        if (!r.get(0).messages().isEmpty()) {
            assertThat(r.get(0).messages()).anySatisfy(m -> assertThat(nameOf(m)).isEqualTo("nll-echo"));
        }
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
    void closedSocketRefuses() throws Exception {
        int fd = sock.fd();
        assertThat(Files.exists(Path.of("/proc/self/fd/" + fd))).isTrue();
        sock.close();
        assertThat(sock.fd()).isEqualTo(-1);
        assertThatThrownBy(() -> sock.transact(new MessageWriter())).isInstanceOf(IllegalStateException.class);
    }
}
