package dev.netlib.linux.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.linux.testing.ThrowawayNetns;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Real traffic between two namespaces: a TCP server whose socket is opened inside one namespace and
 * a client inside another, both through {@link Namespace#run}. The client sends random bytes, the
 * server answers each byte XOR 0x5a, the client checks every byte; the server reports the peer
 * address it saw, so a test can tell the path the connection took.
 */
final class TcpExchange {
    static final int TIMEOUT_MS = 15_000;

    /** What one exchange showed. */
    record Outcome(String serverSawPeer, String clientSawLocal, long serverThreadInode, long clientThreadInode, int bytes) {}

    private TcpExchange() {}

    /** Connects from {@code client} to {@code serverAddress}:port in {@code server}; exchanges {@code size} bytes. */
    static Outcome exchange(Namespace server, String serverAddress, Namespace client, int size) throws Exception {
        int port = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
        byte[] payload = new byte[size];
        ThreadLocalRandom.current().nextBytes(payload);

        ServerSocket listener = server.run(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(serverAddress), port));
            s.setSoTimeout(TIMEOUT_MS);
            return s;
        });
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "nlk-tcp-server");
            t.setDaemon(true);
            return t;
        });
        try (listener) {
            // accept and answer inside the server namespace too, on netlib's thread for it
            Future<String[]> served = pool.submit(() -> server.run(() -> {
                try (Socket c = listener.accept()) {
                    c.setSoTimeout(TIMEOUT_MS);
                    byte[] in = new byte[size];
                    new DataInputStream(c.getInputStream()).readFully(in);
                    for (int i = 0; i < in.length; i++) {
                        in[i] ^= 0x5a;
                    }
                    c.getOutputStream().write(in);
                    c.getOutputStream().flush();
                    c.shutdownOutput();
                    // wait for the client to close, so the answer is not cut short by a reset
                    c.getInputStream().read();
                    return new String[] {c.getInetAddress().getHostAddress(), Long.toString(ThrowawayNetns.threadInode())};
                }
            }));
            String[] clientSide = client.run(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getByName(serverAddress), port), TIMEOUT_MS);
                    s.setSoTimeout(TIMEOUT_MS);
                    s.getOutputStream().write(payload);
                    s.getOutputStream().flush();
                    byte[] answer = new byte[size];
                    new DataInputStream(s.getInputStream()).readFully(answer);
                    for (int i = 0; i < size; i++) {
                        if (answer[i] != (byte) (payload[i] ^ 0x5a)) {
                            throw new IOException("byte " + i + " of the answer is wrong: " + answer[i] + " != " + (payload[i] ^ 0x5a));
                        }
                    }
                    return new String[] {s.getLocalAddress().getHostAddress(), Long.toString(ThrowawayNetns.threadInode())};
                }
            });
            String[] serverSide = served.get(TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS);
            return new Outcome(serverSide[0], clientSide[0], Long.parseLong(serverSide[1]), Long.parseLong(clientSide[1]), size);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Exchanges bytes and checks the connection really went between the two namespaces: each side's
     * code ran inside its namespace, and the server saw {@code clientAddress}.
     */
    static Outcome exchangeAndCheck(Namespace server, String serverAddress, Namespace client, String clientAddress, int size)
            throws Exception {
        Outcome o = exchange(server, serverAddress, client, size);
        assertThat(o.serverThreadInode()).as("server code ran inside the server namespace").isEqualTo(server.inode());
        assertThat(o.clientThreadInode()).as("client code ran inside the client namespace").isEqualTo(client.inode());
        assertThat(o.serverSawPeer()).as("peer address the server saw").isEqualTo(clientAddress);
        assertThat(o.clientSawLocal()).as("client's local address").isEqualTo(clientAddress);
        return o;
    }

    /** Expects that no connection can be made from {@code client} to the address within {@code timeoutMs}. */
    static void assertUnreachable(Namespace client, String serverAddress, int timeoutMs) {
        int port = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
        String result = client.run(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getByName(serverAddress), port), timeoutMs);
                return "connected";
            } catch (IOException e) {
                return "failed: " + e;
            }
        });
        assertThat(result).as("connection to " + serverAddress + " before the path exists").startsWith("failed");
        assertThat(result).as("no listener can have refused it: the packets must not arrive at all").doesNotContain("refused");
    }
}
