package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.NetlibException;
import dev.netlib.ipam.FileIpamStore;
import dev.netlib.ipam.IpamStore;
import dev.netlib.ipam.etcd.EtcdIpamStore;
import dev.netlib.network.Networks;
import java.nio.file.Path;
import java.util.Random;

/**
 * One of the JVMs of {@link ManyProcessesKernelTest}: {@code ID STORE ETC PREFIX CONTAINERS ROUNDS}
 * (STORE: a file store's directory, or {@code etcd:URL#NAMESPACE}).
 * Creates a network of its own (default subnet: the subnet race), then connects, fails and
 * disconnects the shared container names on the shared network and its own, at random. Failures
 * another process's work explains (the name is taken, the interface name too, a record changed) are
 * expected; any other exception ends the JVM with status 2. Prints {@code DONE} at the end.
 */
public final class ManyProcessesChild {
    private ManyProcessesChild() {}

    public static void main(String[] args) throws Exception {
        String id = args[0];
        Random random = new Random(Long.parseLong(id.replaceAll("\\D", "")) * 7919L + System.nanoTime());
        FailingSometimes failures = new FailingSometimes();
        IpamStore store = new WriteHookStore(openStore(args[1]), failures::beforeSet);
        String prefix = args[3];
        int containers = Integer.parseInt(args[4]);
        int rounds = Integer.parseInt(args[5]);
        int expected = 0;
        try (Netlib netlib = Netlib.open()) {
            Namespace hostNs = netlib.namespaces().open(prefix + "host");
            Networks networks = Networks.builder(netlib.in(hostNs)).store(store).etcNetns(Path.of(args[2])).open();
            String own = "p-" + id;
            networks.create(own).create();
            for (int r = 0; r < rounds; r++) {
                String c = "c" + random.nextInt(containers);
                String net = random.nextInt(3) == 0 ? own : "shared";
                failures.failing = random.nextInt(5) == 0; // one operation in five fails at its record
                try {
                    if (networks.findEndpoint(net, c).isPresent() && random.nextBoolean()) {
                        networks.disconnect(net, c);
                    } else {
                        try (Namespace ns = netlib.namespaces().open(prefix + c)) {
                            networks.endpoint(net, ns).name(c).connect();
                        }
                    }
                } catch (NetlibException e) {
                    if (!expected(e)) {
                        System.out.println("UNEXPECTED " + e);
                        e.printStackTrace(System.out);
                        System.exit(2);
                    }
                    expected++;
                } finally {
                    failures.failing = false;
                }
            }
            // leave the own network's endpoints in place: the test checks them against the kernel
        }
        System.out.println("DONE " + id + " (" + expected + " operations failed as expected)");
        System.out.flush();
        System.exit(0);
    }

    /**
     * The host's networks for a child JVM whose arguments are {@code FIRST STORE ETC PREFIX ...}
     * (NetworksAtOnceKernelTest's children): namespace {@code PREFIXhost}, the store, the /etc/netns root.
     */
    static Networks openNetworks(Netlib netlib, String[] args) {
        Namespace hostNs = netlib.namespaces().open(args[3] + "host");
        return Networks.builder(netlib.in(hostNs)).store(openStore(args[1])).etcNetns(Path.of(args[2])).open();
    }

    /** {@code etcd:URL#NAMESPACE}: that etcd namespace; anything else: a file store's directory. */
    static IpamStore openStore(String spec) {
        if (spec.startsWith("etcd:")) {
            int hash = spec.indexOf('#');
            // a long timeout: on a loaded 2-core machine etcd's fsyncs can stall for seconds
            return EtcdIpamStore.builder().endpoints(spec.substring("etcd:".length(), hash)).namespace(spec.substring(hash + 1))
                    .timeout(java.time.Duration.ofSeconds(30)).build();
        }
        return FileIpamStore.open(Path.of(spec));
    }

    /** Failures explained by another process's work, or injected. */
    private static boolean expected(NetlibException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("injected") || m.contains("already exists") || m.contains("by another process") || m.contains("meanwhile")
                || m.contains("is not connected") || m.contains("File exists") || m.contains("EEXIST");
    }

    /** Fails the next endpoint record write while {@code failing} is set. */
    static final class FailingSometimes {
        volatile boolean failing;

        void beforeSet(String key) {
            if (failing && key.startsWith("network/endpoints/")) {
                failing = false;
                throw new NetlibException("injected failure before writing " + key);
            }
        }
    }
}
