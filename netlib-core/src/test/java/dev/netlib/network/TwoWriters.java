package dev.netlib.network;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.fake.FakeKernel;
import dev.netlib.ipam.FileIpamStore;
import java.nio.file.Path;

/**
 * Two processes on one host, as the deterministic many-writer tests need them: {@code a} and
 * {@code b}, each a {@link Networks} on its own store object over one store directory and one
 * FakeKernel; {@code a}'s store is {@link HookedStore}, to stop or interpose at an exact point.
 */
final class TwoWriters {
    final Netlib root = Netlib.open(new FakeKernel());
    final Netlib host;
    final HookedStore hooked;
    final Networks a;
    final Networks b;

    /** {@code hostName}: the host namespace's name; the store and /etc/netns go under {@code tmp}. */
    TwoWriters(Path tmp, String hostName) {
        host = root.in(root.namespaces().create(hostName));
        Path dir = tmp.resolve("store");
        hooked = new HookedStore(FileIpamStore.open(dir));
        a = Networks.builder(host).store(hooked).etcNetns(tmp.resolve("etc")).open();
        b = Networks.builder(host).store(FileIpamStore.open(dir)).etcNetns(tmp.resolve("etc")).open();
    }

    /** A container namespace with lo up (netlib brings lo up on connect and leaves it so). */
    Namespace box(String name) {
        Namespace ns = root.namespaces().create(name);
        root.in(ns).link("lo").up();
        return ns;
    }
}
