package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * TCP and UDP responders on any port, their sockets opened inside a namespace: each answers
 * {@code NAME saw ADDRESS}, the source address the connection or datagram arrived with, so a
 * client learns both whom it reached and how NAT rewrote it. {@link TcpProbe} does the same for
 * names only, on its fixed port.
 */
public final class Responders implements AutoCloseable {
    private final List<Closeable> sockets = new ArrayList<>();

    /** What a client got back: the responder's name and the source address it saw. */
    public record Reply(String name, String saw) {
        static Reply parse(String line) {
            if (line == null) {
                return null;
            }
            int i = line.indexOf(" saw ");
            return i < 0 ? new Reply(line, null) : new Reply(line.substring(0, i), line.substring(i + 5));
        }

        @Override
        public String toString() {
            return name + " (saw the client as " + saw + ")";
        }
    }

    /** A TCP responder in {@code ns} on 0.0.0.0:port. */
    public synchronized void tcp(Namespace ns, int port, String name) {
        ServerSocket server = TcpProbe.listen(ns, port);
        sockets.add(server);
        daemon("tcp-" + name + "-" + port, () -> {
            while (!server.isClosed()) {
                try (Socket c = server.accept(); OutputStream out = c.getOutputStream()) {
                    out.write((name + " saw " + c.getInetAddress().getHostAddress() + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // closed: the loop ends
                }
            }
        });
    }

    /** A UDP responder in {@code ns} on 0.0.0.0:port: answers each datagram to its sender. */
    public synchronized void udp(Namespace ns, int port, String name) {
        DatagramSocket socket = ns.run(() -> new DatagramSocket(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port)));
        sockets.add(socket);
        daemon("udp-" + name + "-" + port, () -> {
            byte[] buf = new byte[512];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    byte[] answer = (name + " saw " + p.getAddress().getHostAddress()).getBytes(StandardCharsets.UTF_8);
                    socket.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                } catch (IOException e) {
                    // closed: the loop ends
                }
            }
        });
    }

    /** Connects over TCP from inside {@code from}; null if nothing answered. */
    public static Reply tcpProbe(Namespace from, InetAddress address, int port, int timeoutMillis) {
        return Reply.parse(TcpProbe.probe(from, address, port, timeoutMillis));
    }

    /** Sends one datagram from inside {@code from} and waits for the answer (three tries); null if none came. */
    public static Reply udpProbe(Namespace from, InetAddress address, int port, int timeoutMillis) {
        return Reply.parse(from.run(() -> {
            try (DatagramSocket s = new DatagramSocket()) {
                s.setSoTimeout(timeoutMillis);
                byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
                for (int attempt = 0; attempt < 3; attempt++) {
                    s.send(new DatagramPacket(hello, hello.length, new InetSocketAddress(address, port)));
                    byte[] buf = new byte[512];
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        s.receive(p);
                        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                    } catch (SocketTimeoutException again) {
                        // a first datagram can be lost while the neighbour entry resolves
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        }));
    }

    private static void daemon(String name, Runnable loop) {
        Thread t = new Thread(loop, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public synchronized void close() {
        for (Closeable c : sockets) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
        sockets.clear();
    }
}
