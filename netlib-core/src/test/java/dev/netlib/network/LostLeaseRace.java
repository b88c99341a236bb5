package dev.netlib.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.fake.FakeKernel;
import dev.netlib.ipam.IpamStore;
import dev.netlib.ipam.SubnetAllocator;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lost-lease race, deterministic: an operation of writer A fails after it took its lease (or
 * subnet) while writer B, on the same store, takes the next one in between. A's undo must give back
 * exactly its own lease: B's survives, and nobody is handed B's address (or an overlapping subnet)
 * again. Runs on any store: the file store here, etcd in netlib-etcd. Public for that module.
 */
public final class LostLeaseRace {
    private LostLeaseRace() {}

    /**
     * @param storeA writer A's store
     * @param storeB writer B's store: another object (another "process") on the same data
     */
    public static void run(IpamStore storeA, IpamStore storeB, Path etc) {
        FakeKernel kernel = new FakeKernel();
        Netlib root = Netlib.open(kernel);
        Netlib host = root.in(root.namespaces().create("nll-host"));
        HookedStore hooked = new HookedStore(storeA);
        Networks a = Networks.builder(host).store(hooked).etcNetns(etc).open();
        Networks b = Networks.builder(host).store(storeB).etcNetns(etc).open();

        // addresses
        a.create("race").subnet("10.206.0.0/24").create();
        Endpoint c1 = a.connect("race", box(root, "c1"));
        InetAddress[] interposed = new InetAddress[1];
        hooked.beforeWrite(k -> k.equals("network/endpoints/race/c2"), () -> {
            interposed[0] = b.connect("race", box(root, "c3")).address(); // B takes the next address meanwhile
            throw new ConcurrentChangeException("injected: connect of c2 fails after its lease was taken");
        });
        assertThatThrownBy(() -> a.connect("race", box(root, "c2"))).hasMessageContaining("injected");
        assertThat(interposed[0]).isNotNull();
        AddressLeases leases = b.state().pool("race");
        assertThat(leases.ownerOf(interposed[0])).as("B's lease survives A's undo").contains("c3");
        assertThat(a.findEndpoint("race", "c2")).isEmpty();
        Endpoint c4 = a.connect("race", box(root, "c4"));
        Endpoint c5 = b.connect("race", box(root, "c5"));
        List<InetAddress> handedOut = List.of(c1.address(), interposed[0], c4.address(), c5.address());
        assertThat(new HashSet<>(handedOut)).as("no address handed out twice: %s", handedOut).hasSize(handedOut.size());
        Set<InetAddress> leased = new HashSet<>();
        leases.allocations().forEach(al -> leased.add(al.address()));
        assertThat(leased).as("leases = endpoints").containsExactlyInAnyOrderElementsOf(handedOut);

        // subnets
        hooked.beforeWrite(k -> k.equals("network/networks/n2"), () -> {
            b.create("n3").create(); // B takes the next default subnet meanwhile
            throw new ConcurrentChangeException("injected: creation of n2 fails after its subnet was leased");
        });
        assertThatThrownBy(() -> a.create("n2").create()).hasMessageContaining("injected");
        IpPrefix n3 = b.network("n3").config().subnet();
        Map<IpPrefix, String> subnets = SubnetAllocator.withDockerDefaults(storeB).subnets();
        assertThat(State.subnetNetwork(subnets.get(n3))).as("B's subnet lease survives A's undo").isEqualTo("n3");
        assertThat(subnets.values()).noneMatch(tag -> "n2".equals(State.subnetNetwork(tag)));
        IpPrefix n4 = a.create("n4").create().config().subnet();
        assertThat(n4.overlaps(n3)).as("%s and %s", n4, n3).isFalse();
        List<IpPrefix> all = new ArrayList<>(SubnetAllocator.withDockerDefaults(storeA).subnets().keySet());
        for (int i = 0; i < all.size(); i++) {
            for (int k = i + 1; k < all.size(); k++) {
                assertThat(all.get(i).overlaps(all.get(k))).as("%s overlaps %s", all.get(i), all.get(k)).isFalse();
            }
        }
        assertThat(a.reconcile(false).isClean()).isTrue();
        assertThat(IpAddresses.format(c1.address())).isEqualTo("10.206.0.2");
    }

    private static Namespace box(Netlib root, String name) {
        Namespace ns = root.namespaces().create(name);
        root.in(ns).link("lo").up();
        return ns;
    }
}
