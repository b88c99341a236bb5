package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Real TCP between namespaces: a server per namespace (its socket opened inside the namespace via
 * {@link Namespace#run}, so it belongs there) answers every connection with its name; a probe
 * connects from inside another namespace and reads the name back, proving whom it reached.
 */
public final class TcpProbe implements AutoCloseable {
    public static final int PORT = 7000;
    private final List<ServerSocket> servers = new ArrayList<>();

    /** Starts a server in {@code ns} on 0.0.0.0:PORT that answers with {@code name}. */
    public void serve(Namespace ns, String name) {
        ServerSocket server = listen(ns, PORT);
        servers.add(server);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket c = server.accept(); OutputStream out = c.getOutputStream()) {
                    out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // closed: the loop ends
                }
            }
        }, "tcp-server-" + name);
        t.setDaemon(true);
        t.start();
    }

    /** A TCP server socket bound inside {@code ns} to 0.0.0.0:port, with SO_REUSEADDR. */
    static ServerSocket listen(Namespace ns, int port) {
        return ns.run(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
            return s;
        });
    }

    /** Connects from inside {@code from} to {@code address}; returns the name the server sent, or null if unreachable. */
    public static String probe(Namespace from, InetAddress address, int timeoutMillis) {
        return probe(from, address, PORT, timeoutMillis);
    }

    /** Like {@link #probe(Namespace, InetAddress, int)} on another port (e.g. a published one). */
    public static String probe(Namespace from, InetAddress address, int port, int timeoutMillis) {
        return from.run(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), timeoutMillis);
                s.setSoTimeout(timeoutMillis * 2);
                return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                return null;
            }
        });
    }

    @Override
    public void close() {
        for (ServerSocket s : servers) {
            try {
                s.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
        servers.clear();
    }
}
