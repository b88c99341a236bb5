package dev.netlib.linux.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The direct buffers sendto and recvfrom use (and the thread's send counters), one pair per thread rather than per socket: a
 * thousand namespaces hold a thousand sockets but only the threads that talk through them need
 * buffers (64 + 16 KiB per socket were 80 MB at a thousand namespaces). A socket call fills and
 * reads them inside one synchronized method and copies out what it keeps (replies are copied, dump
 * decoders must copy), so a buffer never outlives the call that filled it.
 */
final class NetlinkBuffers {
    /** Initial receive buffer; dumps come in datagrams of at most ~32 KiB. */
    static final int RECV_BUFFER = 64 << 10;
    private static final int SEND_BUFFER = 4 << 10;
    /** A subclass, not withInitial(NetlinkBuffers::new): no lambda on a fresh JVM's first request (issue 13). */
    private static final ThreadLocal<NetlinkBuffers> MINE = new ThreadLocal<>() {
        @Override
        protected NetlinkBuffers initialValue() {
            return new NetlinkBuffers();
        }
    };

    private ByteBuffer receive;
    private ByteBuffer send;
    /** sendto calls and messages sent, and bytes received, by this thread ({@link NetlinkSocket#threadTraffic()}). */
    long sends;
    long messages;
    long receivedBytes;

    private NetlinkBuffers() {}

    /** This thread's buffers. */
    static NetlinkBuffers get() {
        return MINE.get();
    }

    /** The receive buffer, cleared (allocated on first use). */
    ByteBuffer receive() {
        if (receive == null) {
            receive = ByteBuffer.allocateDirect(RECV_BUFFER).order(ByteOrder.nativeOrder());
        }
        return receive.clear();
    }

    /** Replaces the receive buffer by one of at least {@code size} bytes (after MSG_TRUNC showed a bigger datagram). */
    void growReceive(int size) {
        if (receive == null || receive.capacity() < size) {
            receive = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
        }
    }

    /** The send buffer holding a copy of {@code data} (position 0 to its size), grown when needed. */
    ByteBuffer send(ByteBuffer data) {
        int size = data.remaining();
        if (send == null || send.capacity() < size) {
            send = ByteBuffer.allocateDirect(Math.max(size, send == null ? SEND_BUFFER : send.capacity() * 2)).order(ByteOrder.nativeOrder());
        }
        send.clear();
        send.put(data);
        return send.flip();
    }
}
