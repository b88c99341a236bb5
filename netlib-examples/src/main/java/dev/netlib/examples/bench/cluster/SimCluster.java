package dev.netlib.examples.bench.cluster;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.examples.bench.FileTrees;
import dev.netlib.testing.etcd.ThrowawayEtcd;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A simulated cluster on one machine, never touching the machine's own network: an underlay switch
 * (bridge {@code ul0}) in a namespace of its own, H host namespaces each with {@code eth0} on it
 * (10.99.x.y/16, the host's VTEP address), container namespaces created on demand, and one real etcd
 * on 127.0.0.1 with a temporary data directory.
 *
 * <p>Every name carries this run's tag ({@code nlc} and 4 hex digits), so two runs never collide.
 * {@link #close()} removes everything registered with {@link #onClose} (hosts' agents, child JVMs,
 * store clients) in reverse order, then the containers and their hosts files under /etc/netns, the
 * host namespaces, the underlay and etcd; a shutdown hook does the same on Ctrl-C.
 *
 * <p>Equivalent to: {@code ip netns add TAG-ul; ip -n TAG-ul link add ul0 type bridge; ip netns add
 * TAG-hN; ip -n TAG-ul link add ulhN master ul0 up type veth peer name eth0 netns TAG-hN; ip -n TAG-hN
 * addr add 10.99.0.N/16 dev eth0}.
 */
final class SimCluster implements AutoCloseable {
    static final Path ETC_NETNS = Path.of("/etc/netns");
    /**
     * The overlay agents' record directories, one per host namespace (the simulated hosts share one
     * machine, so /run/netlib/overlay/HOST would not tell them apart across runs); removed with the
     * hosts. Under the temp directory, not /run/netlib: removing an emptied /run/netlib could pull it
     * from under another netlib process creating its lock directory there (NftLock).
     */
    static final Path RECORDS = Path.of(System.getProperty("java.io.tmpdir"), "netlib-overlay-sim");

    /** Host {@code hostNs}'s overlay record directory (OverlayAgent.Builder.recordDir). */
    static Path recordDir(String hostNs) {
        return RECORDS.resolve(hostNs);
    }

    final String tag = "nlc" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    final Netlib root = Netlib.open();
    private final List<Namespace> hosts = new ArrayList<>();
    private final List<Namespace> containers = new ArrayList<>();
    private final Deque<AutoCloseable> closers = new ArrayDeque<>();
    private final Thread hook = new Thread(this::close, "nlc-cleanup");
    private Namespace underlay;
    private ThrowawayEtcd etcd;
    private boolean closed;
    private volatile boolean aborting;
    private static volatile boolean interrupted;

    SimCluster() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts etcd and builds the underlay and {@code hostCount} hosts; on failure removes what it made. */
    static SimCluster build(int hostCount) throws Exception {
        SimCluster c = new SimCluster();
        try {
            c.etcd = ThrowawayEtcd.start("nlc");
            c.underlay = c.root.namespaces().create(c.tag + "-ul");
            Netlib u = c.root.in(c.underlay);
            u.bridge("ul0").up().create();
            for (int h = 1; h <= hostCount; h++) {
                c.addHost();
            }
        } catch (Exception | Error failure) {
            c.close();
            throw failure;
        }
        return c;
    }

    private synchronized void addHost() {
        int h = hosts.size() + 1;
        Namespace ns = root.namespaces().create(tag + "-h" + h);
        hosts.add(ns);
        root.in(underlay).veth(underlayLink(h)).master("ul0").up().peer("eth0", p -> p.namespace(ns).up()).create();
        root.in(ns).batch().linkUp("lo").addAddress("eth0", vtep(h) + "/16").apply();
    }

    /** The underlay address (VTEP) of host {@code h} (1-based): 10.99.0.1 ... */
    static String vtep(int h) {
        return "10.99." + (h / 250) + "." + (h % 250 + 1);
    }

    /** The switch port of host {@code h} in the underlay namespace. */
    static String underlayLink(int h) {
        return "ulh" + h;
    }

    int hostCount() {
        return hosts.size();
    }

    /** Host {@code h}'s namespace (1-based). */
    Namespace host(int h) {
        return hosts.get(h - 1);
    }

    /** Host {@code h}'s namespace name. */
    String hostName(int h) {
        return host(h).name().orElseThrow();
    }

    /** netlib bound to host {@code h}'s namespace. */
    Netlib hostNetlib(int h) {
        return root.in(host(h));
    }

    ThrowawayEtcd etcd() {
        return etcd;
    }

    /** Cuts (or restores) host {@code h}'s underlay: its switch port down or up. Equivalent to: {@code ip -n TAG-ul link set ulhN down|up}. */
    void underlay(int h, boolean up) {
        var link = root.in(underlay).link(underlayLink(h));
        if (up) {
            link.up();
        } else {
            link.down();
        }
    }

    /** A new container namespace {@code TAG-NAME}, removed (with its hosts file) at close. */
    Namespace container(String name) {
        Namespace ns = root.namespaces().create(tag + "-" + name);
        synchronized (this) {
            containers.add(ns);
        }
        return ns;
    }

    /** Removes a container namespace made by {@link #container} now (churn). */
    void removeContainer(Namespace ns) {
        synchronized (this) {
            containers.remove(ns);
        }
        String name = ns.name().orElse(null);
        deleteQuietly(ns);
        if (name != null) {
            try {
                FileTrees.deleteTree(ETC_NETNS.resolve(name));
            } catch (java.io.IOException e) {
                System.err.println("cleanup: " + e);
            }
        }
    }

    /** From now on {@link #aborting()} is true: the run failed or was interrupted, cleanup should be quick rather than graceful. */
    void abort() {
        aborting = true;
    }

    /** Whether a cluster of this JVM was removed by the shutdown hook (Ctrl-C, SIGTERM). */
    static boolean interrupted() {
        return interrupted;
    }

    /** Whether cleanup should be quick (Ctrl-C or a failed run): hosts die instead of leaving gracefully. */
    boolean aborting() {
        return aborting;
    }

    /** Runs {@code c} at {@link #close()}, before the namespaces go (last registered, first closed). */
    synchronized void onClose(AutoCloseable c) {
        closers.push(c);
    }

    /** The VTEP address of host {@code h}, parsed. */
    static InetAddress vtepAddress(int h) {
        return dev.netlib.value.IpAddresses.parse(vtep(h));
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (Thread.currentThread() == hook) {
            aborting = true;
            interrupted = true;
            System.err.println("\ninterrupted: removing the simulated cluster");
        }
        try {
            if (Thread.currentThread() != hook) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will: this call does the work, the hook then returns at once
        }
        while (!closers.isEmpty()) {
            AutoCloseable c = closers.pop();
            try {
                c.close();
            } catch (Exception | Error e) {
                System.err.println("cleanup: " + e);
            }
        }
        for (Namespace c : List.copyOf(containers)) {
            String name = c.name().orElse(null);
            deleteQuietly(c);
            if (name != null) {
                try {
                    FileTrees.deleteTree(ETC_NETNS.resolve(name));
                } catch (Exception e) {
                    System.err.println("cleanup: " + e);
                }
            }
        }
        for (Namespace h : hosts) {
            String name = h.name().orElse(null);
            deleteQuietly(h);
            if (name != null) {
                try {
                    FileTrees.deleteTree(recordDir(name));
                    java.nio.file.Files.deleteIfExists(RECORDS); // only once empty: another run may be using it
                } catch (java.nio.file.DirectoryNotEmptyException others) {
                    // another run's hosts
                } catch (Exception e) {
                    System.err.println("cleanup: " + e);
                }
            }
        }
        if (underlay != null) {
            deleteQuietly(underlay);
        }
        if (etcd != null) {
            try {
                etcd.close();
            } catch (RuntimeException e) {
                System.err.println("cleanup: " + e);
            }
        }
        root.close();
    }

    private static void deleteQuietly(Namespace ns) {
        try {
            if (!ns.isClosed()) {
                ns.close();
            }
        } catch (RuntimeException e) {
            System.err.println("cleanup: " + e);
        }
    }
}
