package dev.netlib.network;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** One simulated machine for the network tests: a kernel, a "host" namespace, a store, an /etc/netns root. */
final class World {
    final MiniKernel kernel = new MiniKernel();
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

    Namespace box(String name) {
        return root.namespaces().create(name);
    }

    /** Kernel, store and hosts files together: equal states mean nothing changed. */
    String state() {
        return kernel.snapshot() + "\n" + store.contents() + "\n" + files();
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
