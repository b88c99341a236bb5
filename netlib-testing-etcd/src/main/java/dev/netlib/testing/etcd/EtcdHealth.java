package dev.netlib.testing.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * etcd's health endpoint: {@code GET /health} on a client URL answers 200 with {@code
 * {"health":"true"}} once the member has a leader and serves a read (etcd 3.4's etcdhttp health
 * handler; 503 and {@code "false"} before that). A listening port alone is not enough: etcd
 * listens before its raft node has elected itself, and a client's first request would wait.
 */
final class EtcdHealth {
    private EtcdHealth() {}

    /** Whether etcd on 127.0.0.1:{@code port} says it is healthy; false while it cannot answer. */
    static boolean answers(int port) {
        HttpURLConnection c = null;
        try {
            // no proxy: a JVM-wide http.proxyHost must not route a loopback probe elsewhere
            c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health").toURL().openConnection(Proxy.NO_PROXY);
            c.setConnectTimeout(200);
            c.setReadTimeout(1000);
            if (c.getResponseCode() != HttpURLConnection.HTTP_OK) {
                return false;
            }
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(" ", "").contains("\"health\":\"true\"");
            }
        } catch (IOException notYet) {
            return false;
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }
}
