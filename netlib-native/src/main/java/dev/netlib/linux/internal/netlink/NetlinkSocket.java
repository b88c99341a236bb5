package dev.netlib.linux.internal.netlink;

import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLMSG_DONE;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLMSG_ERROR;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLMSG_NOOP;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLMSG_OVERRUN;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_ACK;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_DUMP;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_DUMP_INTR;

import dev.netlib.error.DumpInterruptedException;
import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;
import dev.netlib.error.MalformedMessageException;
import dev.netlib.linux.internal.ffi.LibC;
import dev.netlib.linux.internal.ffi.LinuxConstants;
import dev.netlib.linux.internal.ffi.Syscalls;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AF_NETLINK socket of one protocol, bound in the network namespace of the thread that opened
 * it; it stays in that namespace for its whole life, whichever thread uses it later.
 *
 * <p>Set up for errors that say what went wrong: NETLINK_EXT_ACK (the kernel's text in acks). That
 * is the only option set when it opens (socket + one setsockopt): it is not bound (the kernel binds
 * it on the first send, netlink_autobind(), and replies are matched by sequence number alone), and
 * its buffers grow to {@value #SOCKET_BUFFER} bytes only when a batch needs them (hundreds of
 * pipelined acks), so a namespace's socket that sends five messages costs no more. A datagram
 * larger than the receive buffer is detected with MSG_TRUNC (the request fails, the buffer grows).
 * The user-space buffers are per thread, not per socket ({@link NetlinkBuffers}). All methods are
 * synchronized: one request or dump at a time per socket.
 */
public final class NetlinkSocket implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetlinkSocket.class);

    /** Socket buffer asked for when a batch needs it; SO_*BUFFORCE lets root exceed net.core.[rw]mem_max. */
    static final int SOCKET_BUFFER = 8 << 20;
    /** Initial user-space receive buffer; dumps come in datagrams of at most ~32 KiB. */
    static final int RECV_BUFFER = NetlinkBuffers.RECV_BUFFER;
    /** Messages per send that the default socket buffers (net.core.rmem_default) hold the acks of. */
    public static final int SMALL_BATCH = 64;
    /** Bytes per send above which the send buffer is grown first (sk_sndbuf, net.core.wmem_default ~208 KiB). */
    static final int LARGE_SEND = 128 << 10;
    /** How often an interrupted dump (NLM_F_DUMP_INTR) is restarted before giving up. */
    public static final int DUMP_RETRIES = 10;
    /** Pause before the second attempt of an interrupted dump; doubled each time, up to {@link #DUMP_BACKOFF_MAX_MILLIS}. */
    static final long DUMP_BACKOFF_MILLIS = 1;
    static final long DUMP_BACKOFF_MAX_MILLIS = 32;

    private final LibC libc;
    private final int protocol;
    private int fd;
    private int portId;
    /** 0: not tried yet; 1: granted (SO_*BUFFORCE); -1: refused (capped by net.core.[rw]mem_max). */
    private int largeBuffers;
    private int nextSeq;
    private long interruptedDumps;
    private long dumpFallbacks;
    private int dumpRetries = DUMP_RETRIES;

    private NetlinkSocket(LibC libc, int fd, int protocol) {
        this.libc = libc;
        this.fd = fd;
        this.protocol = protocol;
        // Start from a time-based value so stale replies of a previous socket with the same port id
        // (a reused fd) cannot match.
        this.nextSeq = (int) (System.nanoTime() & 0x3fffffff) | 1;
    }

    /**
     * Opens a netlink socket of {@code protocol} (NETLINK_ROUTE, NETLINK_NETFILTER) in the
     * calling thread's current network namespace. The caller arranges the namespace (netlib does
     * that on a thread it owns); the socket then works from any thread.
     */
    public static NetlinkSocket open(int protocol) {
        LibC libc = Syscalls.libc();
        int fd = libc.socket(LinuxConstants.AF_NETLINK, LinuxConstants.SOCK_RAW | LinuxConstants.SOCK_CLOEXEC, protocol); // never blocks
        if (fd < 0) {
            throw Syscalls.failure("socket(AF_NETLINK, " + protocol + ")");
        }
        setOpt(libc, fd, NetlinkConstants.SOL_NETLINK, NetlinkConstants.NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
        LOG.debug("netlink socket fd {} protocol {}", fd, protocol);
        return new NetlinkSocket(libc, fd, protocol);
    }

    /**
     * Grows both socket buffers to {@value #SOCKET_BUFFER} bytes, once; true when the forced size
     * was granted (CAP_NET_ADMIN), false when they stay capped by net.core.[rw]mem_max. Called
     * before a batch of more than {@value #SMALL_BATCH} messages.
     */
    public synchronized boolean hasLargeBuffers() {
        if (largeBuffers == 0) {
            requireOpen();
            boolean granted = setBuffer(libc, fd, LinuxConstants.SO_RCVBUFFORCE, LinuxConstants.SO_RCVBUF);
            setBuffer(libc, fd, LinuxConstants.SO_SNDBUFFORCE, LinuxConstants.SO_SNDBUF);
            largeBuffers = granted ? 1 : -1;
        }
        return largeBuffers > 0;
    }

    /** True when the forced size was granted (CAP_NET_ADMIN). */
    private static boolean setBuffer(LibC libc, int fd, int forceOpt, int opt) {
        int[] v = {SOCKET_BUFFER};
        if (libc.setsockopt(fd, LinuxConstants.SOL_SOCKET, forceOpt, v, 4) == 0) {
            return true;
        }
        // Not root (EPERM): the plain option, capped by net.core.[rw]mem_max. Best effort.
        libc.setsockopt(fd, LinuxConstants.SOL_SOCKET, opt, v, 4);
        return false;
    }

    private static void setOpt(LibC libc, int fd, int level, int opt, int value, String name) {
        int[] v = {value};
        if (libc.setsockopt(fd, level, opt, v, 4) != 0) {
            // Kernels before 4.12 lack NETLINK_EXT_ACK: work without the kernel's text.
            LOG.debug("setsockopt {} failed: {}", name, Syscalls.lastErrno());
        }
    }

    /** How many dumps were restarted because the kernel flagged them NLM_F_DUMP_INTR (diagnostics). */
    public synchronized long interruptedDumps() {
        return interruptedDumps;
    }

    /**
     * How many dumps stayed interrupted through every attempt and were answered by their
     * {@link DumpFallback} instead.
     *
     * @return the count since the socket was opened
     */
    public synchronized long dumpFallbacks() {
        return dumpFallbacks;
    }

    /**
     * Sets how many interrupted attempts a dump makes before its fallback (or
     * {@link DumpInterruptedException}); {@link #DUMP_RETRIES} by default. Tests lower it to reach
     * the fallback without having to outpace the kernel ten times in a row.
     *
     * @param attempts at least 1
     */
    public synchronized void dumpRetries(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("a dump makes at least one attempt, got " + attempts);
        }
        this.dumpRetries = attempts;
    }

    /**
     * A consistent answer got another way when a dump stays interrupted (NLM_F_DUMP_INTR) through
     * every attempt, for example each object of the last attempt asked for again by its key.
     *
     * @param <T> the decoded item
     */
    @FunctionalInterface
    public interface DumpFallback<T> {
        /**
         * The answer instead of the dump.
         *
         * @param lastAttempt what the last, interrupted, attempt decoded: every object that stayed
         *     in the table throughout it is there once; objects added or removed meanwhile may be
         *     missing or stale
         * @return the answer
         */
        List<T> recover(List<T> lastAttempt);
    }

    /**
     * The port id the kernel bound this socket to (nl_pid), binding it now if nothing was sent
     * yet (for diagnostics and tests: requests do not need it).
     */
    public synchronized int portId() {
        if (portId == 0) {
            requireOpen();
            ByteBuffer addr = ByteBuffer.allocateDirect(12).order(ByteOrder.nativeOrder());
            int[] len = {12};
            getsockname(addr, len);
            if (addr.getInt(4) == 0) {
                addr.clear();
                addr.putShort(0, (short) LinuxConstants.AF_NETLINK); // nl_pid 0: the kernel assigns
                if (libc.bind(fd, addr, 12) < 0) { // bind is never interrupted (it does not block)
                    throw Syscalls.failure("bind(AF_NETLINK)");
                }
                getsockname(addr, len);
            }
            portId = addr.getInt(4);
        }
        return portId;
    }

    private void getsockname(ByteBuffer addr, int[] len) {
        if (libc.getsockname(fd, addr, len) < 0) { // never interrupted (it does not block)
            throw Syscalls.failure("getsockname(AF_NETLINK)");
        }
    }

    /**
     * What the calling thread has sent through any netlink socket so far: sendto calls (each one
     * batch, so one round trip) and the messages in them, and the bytes it received. For tests and
     * benchmarks that pin the round trips of an operation, or show that what it reads does not grow
     * with the kernel's tables (take the difference around it).
     */
    public static Traffic threadTraffic() {
        NetlinkBuffers b = NetlinkBuffers.get();
        return new Traffic(b.sends, b.messages, b.receivedBytes);
    }

    /**
     * Counts of {@link #threadTraffic()}.
     *
     * @param sends sendto calls
     * @param messages netlink messages in them
     * @param receivedBytes bytes of the datagrams received (answers, dumps, acks)
     */
    public record Traffic(long sends, long messages, long receivedBytes) {
        /** This minus {@code before}: what was sent and received in between. */
        public Traffic since(Traffic before) {
            return new Traffic(sends - before.sends, messages - before.messages, receivedBytes - before.receivedBytes);
        }
    }

    public int protocol() {
        return protocol;
    }

    /** The file descriptor (for tests and diagnostics), -1 once closed. */
    public synchronized int fd() {
        return fd;
    }

    // ------------------------------------------------------------------ requests

    /**
     * Sends every message of {@code w} in ONE sendto and reads the answers of all of them
     * (pipelining). Messages should carry NLM_F_ACK; a message without it gets a reply only if it
     * fails. Returns one {@link NetlinkReply} per message, in order, so a caller sees which ones
     * failed; never throws for a kernel refusal of one message (only for socket failures).
     */
    public synchronized List<NetlinkReply> transact(MessageWriter w) {
        requireOpen();
        int n = w.messageCount();
        if (n == 0) {
            return List.of();
        }
        int base = nextSeq;
        nextSeq += n;
        w.stamp(base, 0); // nlmsg_pid 0: the kernel does not check it; replies are matched by seq
        send(w);
        NetlinkAck[] acks = new NetlinkAck[n];
        List<List<NetlinkMessage>> msgs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            msgs.add(new ArrayList<>());
        }
        int lastAcked = -1;
        for (int i = 0; i < n; i++) {
            if ((w.messageFlags(i) & NLM_F_ACK) != 0) {
                lastAcked = i;
            }
        }
        // The kernel handles a sendmsg synchronously and answers in order, so once the last
        // acked message is answered, anything else (errors of unacked messages after it) is
        // already queued: drain it without blocking. When the last message itself is acked,
        // nothing can follow its ack: stop there, without a recvfrom that can only fail (EAGAIN).
        boolean waiting = lastAcked >= 0;
        boolean drain = lastAcked < n - 1;
        while (waiting || drain) {
            int len = receive(!waiting);
            if (len < 0) {
                break; // nothing more queued
            }
            for (NetlinkMessage m : MessageReader.split(recvBuf, len)) {
                int idx = m.seq() - base;
                if (idx < 0 || idx >= n) {
                    LOG.debug("skipping stale netlink message type {} seq {} (expected {}..{})", m.type(),
                            Integer.toUnsignedString(m.seq()), base, base + n - 1);
                    continue;
                }
                if (m.type() == NLMSG_ERROR) {
                    acks[idx] = NetlinkAck.parse(m);
                    if (idx == lastAcked) {
                        waiting = false;
                    }
                } else if (m.type() == NLMSG_DONE || m.type() == NLMSG_NOOP) {
                    // end of a multipart answer to a GET: nothing to keep
                } else if (m.type() == NLMSG_OVERRUN) {
                    throw new KernelException(Errno.ENOBUFS, "netlink receive", "NLMSG_OVERRUN");
                } else {
                    msgs.get(idx).add(m.copy());
                }
            }
        }
        List<NetlinkReply> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new NetlinkReply(i, base + i, acks[i], List.copyOf(msgs.get(i))));
        }
        return out;
    }

    /**
     * Like {@link #transact} but throws the first failure, named by {@code operation}.
     */
    public List<NetlinkReply> request(MessageWriter w, String operation) {
        List<NetlinkReply> replies = transact(w);
        for (NetlinkReply r : replies) {
            if (!r.isSuccess()) {
                throw r.exception(operation);
            }
        }
        return replies;
    }

    /**
     * Dumps: sends the single request of {@code request} (NLM_F_DUMP is added) and decodes every
     * message of the multipart answer until NLMSG_DONE; {@code decoder} may return null to skip a
     * message. An interrupted dump (NLM_F_DUMP_INTR: the table changed while it was read) is
     * restarted, after a pause that doubles each time (1 ms up to 32 ms: a burst of changes is
     * usually over by then), up to {@link #DUMP_RETRIES} attempts in all; then it fails with a
     * {@link DumpInterruptedException} (EBUSY), never with half a table.
     */
    public <T> List<T> dump(MessageWriter request, String operation, Function<NetlinkMessage, T> decoder) {
        return dump(request, operation, decoder, null);
    }

    /**
     * Like {@link #dump(MessageWriter, String, Function)}, but a dump still interrupted after the
     * last attempt is answered by {@code fallback} (given what that attempt read) instead of a
     * {@link DumpInterruptedException}; with a null fallback it is that exception.
     */
    public synchronized <T> List<T> dump(MessageWriter request, String operation, Function<NetlinkMessage, T> decoder,
            DumpFallback<T> fallback) {
        requireOpen();
        if (request.messageCount() != 1) {
            throw new IllegalArgumentException("a dump request is one message, got " + request.messageCount());
        }
        for (int attempt = 0; ; attempt++) {
            DumpResult<T> r = dumpOnce(request, operation, decoder);
            if (!r.interrupted) {
                return r.items;
            }
            if (attempt + 1 >= dumpRetries) {
                if (fallback == null) {
                    throw new DumpInterruptedException(operation, dumpRetries);
                }
                dumpFallbacks++;
                LOG.debug("{}: dump interrupted {} times, answering from the last attempt's objects", operation, dumpRetries);
                return fallback.recover(r.items);
            }
            interruptedDumps++;
            LOG.debug("{}: dump interrupted, retrying ({})", operation, attempt + 1);
            pause(Math.min(DUMP_BACKOFF_MAX_MILLIS, DUMP_BACKOFF_MILLIS << attempt));
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DumpInterruptedException("dump (thread interrupted while waiting to retry)", 0);
        }
    }

    /** Dump of {@code type} with the family header {@code familyHeader} and no attributes. */
    public <T> List<T> dump(int type, byte[] familyHeader, String operation, Function<NetlinkMessage, T> decoder) {
        return dump(type, familyHeader, operation, decoder, null);
    }

    /** Dump of {@code type} with the family header {@code familyHeader}, no attributes, and a fallback (see {@link DumpFallback}). */
    public <T> List<T> dump(int type, byte[] familyHeader, String operation, Function<NetlinkMessage, T> decoder,
            DumpFallback<T> fallback) {
        MessageWriter w = new MessageWriter();
        w.beginMessage(type, NLM_F_DUMP);
        w.putBytes(familyHeader);
        w.endMessage();
        return dump(w, operation, decoder, fallback);
    }

    private record DumpResult<T>(List<T> items, boolean interrupted) {}

    private <T> DumpResult<T> dumpOnce(MessageWriter request, String operation, Function<NetlinkMessage, T> decoder) {
        int seq = nextSeq++;
        request.stamp(seq, 0);
        patchFlags(request, NLM_F_DUMP);
        send(request);
        List<T> items = new ArrayList<>();
        boolean interrupted = false;
        RuntimeException decodeFailure = null;
        while (true) {
            int len = receive(false);
            for (NetlinkMessage m : MessageReader.split(recvBuf, len)) {
                if (m.seq() != seq) {
                    LOG.debug("{}: skipping stale message seq {}", operation, Integer.toUnsignedString(m.seq()));
                    continue;
                }
                if ((m.flags() & NLM_F_DUMP_INTR) != 0) {
                    interrupted = true;
                }
                if (m.type() == NLMSG_DONE) {
                    if (m.payloadLength() >= 4) {
                        int err = m.payloadView().getInt(0);
                        if (err < 0) {
                            throw KernelException.of(Errno.of(-err), operation, null);
                        }
                    }
                    if (decodeFailure != null) {
                        throw decodeFailure;
                    }
                    return new DumpResult<>(items, interrupted);
                }
                if (m.type() == NLMSG_ERROR) {
                    NetlinkAck ack = NetlinkAck.parse(m);
                    if (ack.isSuccess()) {
                        continue;
                    }
                    throw ack.toException(operation);
                }
                // an interrupted attempt is decoded to the end too: its objects are what a
                // DumpFallback starts from
                if (m.type() < NetlinkConstants.NLMSG_MIN_TYPE || decodeFailure != null) {
                    continue;
                }
                try {
                    T t = decoder.apply(m);
                    if (t != null) {
                        items.add(t);
                    }
                } catch (RuntimeException e) {
                    // Keep reading to NLMSG_DONE so the socket stays in step, then report.
                    decodeFailure = e;
                }
            }
        }
    }

    private static void patchFlags(MessageWriter w, int extra) {
        w.addFlags(0, extra);
    }

    // ------------------------------------------------------------------ syscalls

    private void send(MessageWriter w) {
        int size = w.size();
        if (size > LARGE_SEND || w.messageCount() > SMALL_BATCH) {
            hasLargeBuffers(); // netlink_sendmsg() refuses more than sk_sndbuf (EMSGSIZE); the acks need room too
        }
        NetlinkBuffers buffers = NetlinkBuffers.get();
        ByteBuffer b = buffers.send(w.buffer());
        buffers.sends++;
        buffers.messages += w.messageCount();
        long sent;
        do {
            sent = libc.sendto(fd, b, size, 0, null, 0);
        } while (Syscalls.interrupted(sent));
        if (sent < 0) {
            throw Syscalls.failure("netlink sendto");
        }
        if (sent != size) {
            throw new KernelException(Errno.EIO, "netlink sendto", "short send: " + sent + " of " + size + " bytes");
        }
    }

    /** The receive buffer of the last {@link #receive} (this thread's, see {@link NetlinkBuffers}). */
    private ByteBuffer recvBuf;

    /**
     * Receives one datagram into this thread's receive buffer with ONE recvfrom. Returns the length, or -1 when
     * {@code nonBlocking} and nothing is queued.
     *
     * <p>No MSG_PEEK first: the kernel caps dump datagrams at max(32 KiB, the family's
     * min_dump_alloc) (net/netlink/af_netlink.c, netlink_recvmsg clamps max_recvmsg_len to
     * SKB_WITH_OVERHEAD(32768)), and unicast replies and acks (NETLINK_CAP_ACK: no echoed request)
     * are far smaller, so the {@value #RECV_BUFFER}-byte buffer holds every datagram in practice and
     * a peek would double every read. MSG_TRUNC still makes recvfrom return the datagram's real
     * size, so an oversized one (e.g. a link with hundreds of VFs) is detected; it is consumed by
     * then and its content is lost, so the request fails with a clear error and the buffer grows
     * for the next attempt (replies of that request still queued are skipped as stale later).
     */
    private int receive(boolean nonBlocking) {
        int flags = LinuxConstants.MSG_TRUNC | (nonBlocking ? LinuxConstants.MSG_DONTWAIT : 0);
        NetlinkBuffers buffers = NetlinkBuffers.get();
        ByteBuffer b = buffers.receive();
        recvBuf = b;
        long n;
        do {
            n = libc.recvfrom(fd, b, b.capacity(), flags, null, null);
        } while (Syscalls.interrupted(n));
        if (n < 0) {
            Errno err = Syscalls.lastErrno();
            if (nonBlocking && err.number() == Errno.EAGAIN.number()) {
                return -1;
            }
            throw receiveError(err);
        }
        if (n > b.capacity()) {
            LOG.debug("growing netlink receive buffer to {} bytes", n);
            buffers.growReceive((int) n + 4096);
            throw new MalformedMessageException("netlink datagram of " + n + " bytes truncated to " + b.capacity()
                    + " (the reply is lost; the receive buffer has grown, retry the request)");
        }
        b.limit((int) n);
        buffers.receivedBytes += n;
        return (int) n;
    }

    private static KernelException receiveError(Errno e) {
        String why = e.number() == Errno.ENOBUFS.number()
                ? "receive queue overflowed: replies were lost (send fewer messages at once)"
                : null;
        return KernelException.of(e, "netlink recvfrom", why);
    }

    private void requireOpen() {
        if (fd < 0) {
            throw new IllegalStateException("netlink socket closed");
        }
    }

    /** Closes the socket; later calls are no-ops. */
    @Override
    public synchronized void close() {
        if (fd >= 0) {
            Syscalls.closeQuietly(fd);
            fd = -1;
        }
    }

    @Override
    public String toString() {
        return "NetlinkSocket[fd=" + fd + ", protocol=" + protocol + ", port=" + Integer.toUnsignedString(portId) + "]";
    }
}
