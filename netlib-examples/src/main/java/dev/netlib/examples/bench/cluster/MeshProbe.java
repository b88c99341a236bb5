package dev.netlib.examples.bench.cluster;

import dev.netlib.Namespace;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Real TCP through the tunnels: a server socket in every container (opened inside its namespace with
 * netlib's {@link Namespace#run}), answering each connection with the container's number, and client
 * sockets opened inside the source container's namespace. A probe succeeds when the answer is the
 * number of the container it was meant for, so a misrouted connection counts as a failure too.
 *
 * <p>One selector thread serves every container; clients block on their own threads (sockets keep the
 * namespace they were created in, so only their creation needs {@code run}).
 */
final class MeshProbe implements AutoCloseable {
    static final int PORT = 7000;

    /**
     * A container the mesh knows.
     *
     * @param id its number (what its server answers)
     * @param host its host's index
     * @param ns its namespace
     * @param ip its overlay address
     */
    record Member(int id, int host, Namespace ns, InetAddress ip) {}

    private final Selector selector;
    private final Thread loop;
    private final Map<Integer, ServerSocketChannel> servers = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Object[]> pending = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    MeshProbe() throws IOException {
        selector = Selector.open();
        loop = new Thread(this::serve, "nlc-mesh-server");
        loop.setDaemon(true);
        loop.start();
    }

    /** Opens {@code m}'s server inside its namespace. */
    void serve(Member m) {
        ServerSocketChannel s = m.ns().run(() -> {
            ServerSocketChannel ch = ServerSocketChannel.open();
            ch.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), PORT), 512);
            return ch;
        });
        try {
            s.configureBlocking(false);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        servers.put(m.id(), s);
        pending.add(new Object[] {s, m.id()});
        selector.wakeup();
    }

    /** Closes {@code m}'s server (before its container goes). */
    void forget(Member m) {
        ServerSocketChannel s = servers.remove(m.id());
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
            selector.wakeup();
        }
    }

    private void serve() {
        ByteBuffer answer = ByteBuffer.allocate(4);
        while (!closed) {
            try {
                Object[] p;
                while ((p = pending.poll()) != null) {
                    ((ServerSocketChannel) p[0]).register(selector, SelectionKey.OP_ACCEPT, p[1]);
                }
                selector.select(200);
                for (SelectionKey k : selector.selectedKeys()) {
                    if (!k.isValid() || !k.isAcceptable()) {
                        continue;
                    }
                    SocketChannel c;
                    while ((c = ((ServerSocketChannel) k.channel()).accept()) != null) {
                        try (SocketChannel conn = c) {
                            answer.clear();
                            answer.putInt((Integer) k.attachment()).flip();
                            conn.write(answer); // 4 bytes into an empty send buffer: never short
                        }
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException | java.nio.channels.ClosedSelectorException | java.nio.channels.CancelledKeyException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** One TCP connection from {@code from} to {@code to}: true if {@code to} answered with its number. */
    static boolean probe(Member from, Member to, int timeoutMs) {
        SocketChannel ch;
        try {
            ch = from.ns().run((java.util.concurrent.Callable<SocketChannel>) SocketChannel::open);
        } catch (RuntimeException e) {
            return false;
        }
        return probe(ch, to, timeoutMs);
    }

    /** Opens {@code n} client sockets inside {@code from}'s namespace in one hop there. */
    static List<SocketChannel> sockets(Member from, int n) {
        return from.ns().run(() -> {
            List<SocketChannel> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(SocketChannel.open());
            }
            return out;
        });
    }

    /** Connects an unconnected socket to {@code to} and checks its answer; closes the socket. */
    static boolean probe(SocketChannel ch, Member to, int timeoutMs) {
        try (SocketChannel c = ch) {
            Socket s = c.socket();
            s.connect(new InetSocketAddress(to.ip(), PORT), timeoutMs);
            s.setSoTimeout(timeoutMs);
            InputStream in = s.getInputStream();
            byte[] b = in.readNBytes(4);
            return b.length == 4 && ByteBuffer.wrap(b).getInt() == to.id();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing
        }
        for (ServerSocketChannel s : servers.values()) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        servers.clear();
    }
}
