package dev.netlib.network;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.fake.FakeKernel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** One simulated machine for the network tests: a kernel, a "host" namespace, a store, an /etc/netns root. */
final class World {
    final FakeKernel kernel = new FakeKernel();
    final Netlib root = Netlib.open(kernel);
    final Namespace hostNs = root.namespaces().create("nlw-host");
    final Netlib host = root.in(hostNs);
    final FailingStore store = new FailingStore();
    final Path etc;
    Networks networks;

    World(Path etc) {
        this.etc = etc;
        this.networks = open();
    }

    Networks open() {
        return Networks.builder(host).store(store).etcNetns(etc).open();
    }

    /** A container namespace with lo up (netlib brings lo up on connect and does not undo that). */
    Namespace box(String name) {
        Namespace ns = root.namespaces().create(name);
        root.in(ns).link("lo").up();
        return ns;
    }

    /** Kernel, store and hosts files together: equal states mean nothing changed. */
    String state() {
        return kernelState() + "\n" + store.contents() + "\n" + files();
    }

    /** The kernel alone: links, addresses, routes, neighbours, sysctls of every namespace, and netlib's nft rules. */
    String kernelState() {
        // netlib's nft rules as a set: they do not depend on their order (drops and NAT, no
        // accepts), and an undone removal appends them again at the end of their chains
        StringBuilder sb = new StringBuilder();
        for (var ns : kernel.snapshot().namespaces()) {
            sb.append("netns ").append(ns.inode()).append(' ').append(ns.name()).append('\n');
            ns.links().forEach(l -> sb.append("  ").append(l).append('\n'));
            ns.addresses().forEach(a -> sb.append("  ").append(a).append('\n'));
            ns.routes().forEach(r -> sb.append("  ").append(r).append('\n'));
            ns.neighbors().forEach(r -> sb.append("  ").append(r).append('\n'));
            new TreeMap<>(ns.sysctls()).forEach((k, v) -> sb.append("  ").append(k).append('=').append(v).append('\n'));
        }
        return sb + "\n" + host.nat().list().stream().map(Object::toString).sorted().toList();
    }

    Map<String, String> files() {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(etc)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(etc)) {
            s.forEach(p -> {
                try {
                    out.put(etc.relativize(p).toString(), Files.isDirectory(p) ? "<dir>" : Files.readString(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
