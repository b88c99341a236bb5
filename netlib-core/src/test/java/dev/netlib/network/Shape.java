package dev.netlib.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A world's state with its random parts (ids, generated bridge and veth names, random MACs, link
 * indexes, IPv6 link-local addresses derived from MACs) replaced by placeholders: two worlds that did
 * the same operations have the same shape, so "as if it had completed" can be compared with a world
 * where it did.
 */
final class Shape {
    private Shape() {}

    static String of(World w) {
        StringBuilder sb = new StringBuilder();
        for (var ns : w.kernel.snapshot().namespaces()) {
            sb.append("netns ").append(ns.name()).append('\n');
            List<String> lines = new ArrayList<>();
            ns.links().forEach(l -> lines.add("link " + norm(l.name()) + " " + l.kind() + " master=" + norm(l.masterName()) + " up=" + l.adminUp()
                    + " mtu=" + l.mtu()));
            ns.addresses().stream().filter(a -> a.address().isIpv4()).forEach(a -> lines.add("addr " + norm(a.device()) + " " + a.address()));
            ns.routes().stream().filter(r -> r.destination().isIpv4())
                    .forEach(r -> lines.add("route " + r.destination() + " via " + r.gateway() + " dev " + norm(r.device())));
            new TreeMap<>(ns.sysctls()).forEach((k, v) -> {
                // forwarding, once a network creation switched it on, stays on after reconcile rolls the
                // creation back (as dockerd leaves it on); the journal undoes it within the process
                if (!k.matches("net\\.ipv[46]\\.conf\\.(br-|veth|eth|docker).*") && !k.matches("net\\.ipv4\\.(ip_forward|conf\\.[^.]+\\.forwarding)")) {
                    lines.add(k + "=" + v);
                }
            });
            lines.sort(null);
            lines.forEach(l -> sb.append("  ").append(l).append('\n'));
        }
        List<String> rules = new ArrayList<>();
        w.host.nat().list().forEach(r -> rules.add(norm(r.toString())));
        rules.sort(null);
        sb.append("rules ").append(rules).append('\n');
        Map<String, String> store = new TreeMap<>();
        // the address hint (network/cursors/) keeps the sequence's position even when the connect that
        // moved it is rolled back, so the next connect skips the dead one's address (as Docker's allocator)
        w.store.contents().forEach((k, v) -> {
            if (!k.startsWith(State.CURSORS)) {
                store.put(norm(k), norm(v));
            }
        });
        store.forEach((k, v) -> sb.append("key ").append(k).append(" = ").append(v.replace('\n', ';')).append('\n'));
        // (a network's shared hosts file is named by the network's random id)
        w.files().forEach((k, v) -> sb.append("file ").append(norm(k)).append(" = ").append(v.replace('\n', ';')).append('\n'));
        return sb.toString();
    }

    static String norm(String s) {
        if (s == null) {
            return null;
        }
        return s.replaceAll("[0-9a-f]{64}", "ID").replaceAll("br-[0-9a-f]{12}", "br-X").replaceAll("veth[0-9a-f]{7}", "vethX")
                .replaceAll("network/pending/[0-9a-f]{16}", "network/pending/P").replaceAll("owner=[^;\\n]*", "owner=O")
                .replaceAll("(network:[A-Za-z0-9_.-]+)@[0-9a-f-]+/[0-9]+/-?[0-9]+/[0-9]+", "$1@O");
    }
}
