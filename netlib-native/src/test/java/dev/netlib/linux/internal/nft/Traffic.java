package dev.netlib.linux.internal.nft;

import dev.netlib.linux.testing.ThrowawayNetns;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Real traffic for the kernel tests: servers that answer with the client address they see. */
final class Traffic {
    private Traffic() {}

    /** A TCP server in {@code ns} on {@code port} that writes the peer's address and closes. */
    static ServerSocket tcpServer(ThrowawayNetns ns, int port) {
        ServerSocket ss = ns.call(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
            return s;
        });
        Thread t = new Thread(() -> {
            while (!ss.isClosed()) {
                try (Socket c = ss.accept()) {
                    OutputStream out = c.getOutputStream();
                    out.write((c.getInetAddress().getHostAddress() + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (Exception e) {
                    // closed
                }
            }
        }, "nlf-tcp-" + port);
        t.setDaemon(true);
        t.start();
        return ss;
    }

    /** A UDP server in {@code ns} that answers each datagram with the sender's address. */
    static DatagramSocket udpServer(ThrowawayNetns ns, int port) {
        DatagramSocket ds = ns.call(() -> new DatagramSocket(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port)));
        Thread t = new Thread(() -> {
            byte[] buf = new byte[512];
            while (!ds.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    ds.receive(p);
                    byte[] answer = p.getAddress().getHostAddress().getBytes(StandardCharsets.UTF_8);
                    ds.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                } catch (Exception e) {
                    // closed
                }
            }
        }, "nlf-udp-" + port);
        t.setDaemon(true);
        t.start();
        return ds;
    }

    /** Connects from {@code ns} and returns the address the server saw; throws if it cannot connect. */
    static String tcp(ThrowawayNetns ns, String address, int port, int timeoutMs) {
        return ns.call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getByName(address), port), timeoutMs);
                s.setSoTimeout(timeoutMs);
                return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            }
        });
    }

    static boolean canConnect(ThrowawayNetns ns, String address, int port, int timeoutMs) {
        try {
            return tcp(ns, address, port, timeoutMs) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Sends one datagram from {@code ns} and returns the answer (the sender address the server saw). */
    static String udp(ThrowawayNetns ns, String address, int port, int timeoutMs) {
        return ns.call(() -> {
            try (DatagramSocket s = new DatagramSocket()) {
                s.setSoTimeout(timeoutMs);
                byte[] q = "hello".getBytes(StandardCharsets.UTF_8);
                s.send(new DatagramPacket(q, q.length, InetAddress.getByName(address), port));
                byte[] buf = new byte[512];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.receive(p);
                return new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
            }
        });
    }
}
