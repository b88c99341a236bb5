package dev.netlib.examples.bench;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.examples.scenarios.Sandbox;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.network.Endpoint;
import dev.netlib.network.Networks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What publishing, unpublishing and disconnecting cost at the network layer ({@code Endpoint.publish},
 * {@code unpublish}, {@code disconnect}) with few and with many ports published on the host: one
 * container publishes and unpublishes a port R times, then connects and disconnects R times with
 * one port and R times without any (the veth's deletion is most of a disconnect), first alone,
 * then beside another container that publishes a range of N host ports to N target ports (N map
 * elements in netlib's table; the network's one hairpin element serves them all). Each call is
 * timed in-process; prints the medians. A call whose cost grows with N reads the whole table, or
 * deletes from a set whose kernel backend slows down with its size: the concatenated-range backend
 * (pipapo) took 5-9 ms per deletion beside 1,000 elements on this machine when the hairpin set held
 * one element per published port (measured with nft alone; an addition 0.4 ms, a deletion from a
 * hash map 0.3 ms). Runs in
 * throwaway namespaces (a private host namespace, two containers), deleted at the end; needs root.
 *
 * <p>Usage: {@code java -cp netlib-examples.jar dev.netlib.examples.bench.PublishBench [N] [R]}
 * (default 1000 100).
 */
public final class PublishBench {
    private PublishBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        if (n < 1 || n > 20000 || reps < 1) {
            throw new IllegalArgumentException("N must be 1..20000 (host ports 30000..), R at least 1; got " + n + " " + reps);
        }
        Path tmp = Files.createTempDirectory("nl-publish-bench-");
        try (Netlib root = Netlib.open(); Sandbox sandbox = new Sandbox(root, "pb", tmp.resolve("etc"))) {
            Scene scene = Scene.open(root, sandbox, "bench", "10.97.0.0/16");
            Networks networks = scene.networks();
            Namespace measured = scene.measured();
            Namespace other = scene.other();
            round(networks, measured, reps, 0); // warm-up: classes, JIT, the kernel's nat modules
            double[] few = round(networks, measured, reps, 0);
            Endpoint many = networks.endpoint("bench", other).name("other").publish("30000-" + (30000 + n - 1) + ":10000-" + (10000 + n - 1)).connect();
            double[] lots = round(networks, measured, reps, n);
            many.disconnect();
            System.out.printf(Locale.ROOT, "publish-bench: %d reps, medians in ms with 1 / %d ports published:"
                            + " publish %.3f / %.3f, unpublish %.3f / %.3f, disconnect %.3f / %.3f (without a port: %.3f / %.3f)%n",
                    reps, n + 1, few[0], lots[0], few[1], lots[1], few[2], lots[2], few[3], lots[3]);
            System.out.printf(Locale.ROOT, "{\"bench\": \"publish\", \"n\": %d, \"reps\": %d, \"publish_ms\": [%.4f, %.4f], "
                            + "\"unpublish_ms\": [%.4f, %.4f], \"disconnect_ms\": [%.4f, %.4f], \"disconnect_portless_ms\": [%.4f, %.4f]}%n",
                    n, reps, few[0], lots[0], few[1], lots[1], few[2], lots[2], few[3], lots[3]);
        } finally {
            FileTrees.deleteTree(tmp);
        }
    }

    /**
     * A sandbox host with one bridge network and two containers not yet on it: the one measured and
     * another that publishes the many ports (shared with PublishTrafficKernelTest).
     */
    record Scene(Netlib host, Networks networks, Namespace measured, Namespace other) {
        static Scene open(Netlib root, Sandbox sandbox, String network, String subnet) {
            Netlib host = root.in(sandbox.namespace("host"));
            // the sandbox's hosts root: the default, the machine's /etc/netns, kept the hosts file of
            // a container still connected when a run was stopped (nlw-pt-*-other)
            Networks networks = Networks.builder(host).store(new MemoryIpamStore()).etcNetns(sandbox.etcNetns()).open();
            networks.create(network).subnet(subnet).create();
            return new Scene(host, networks, sandbox.namespace("measured"), sandbox.namespace("other"));
        }
    }

    /** Medians (ms) of publish, unpublish and disconnect-with-one-port of container {@code box}, {@code reps} times each. */
    private static double[] round(Networks networks, Namespace box, int reps, int others) {
        long[] publish = new long[reps];
        long[] unpublish = new long[reps];
        long[] disconnect = new long[reps];
        long[] bare = new long[reps];
        Endpoint e = networks.endpoint("bench", box).name("measured").connect();
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            e = e.publish("8080:80");
            long t1 = System.nanoTime();
            e = e.unpublish("8080:80");
            unpublish[i] = System.nanoTime() - t1;
            publish[i] = t1 - t0;
        }
        e.disconnect();
        for (int i = 0; i < reps; i++) {
            Endpoint c = networks.endpoint("bench", box).name("measured").publish("8080:80").connect();
            long t0 = System.nanoTime();
            c.disconnect();
            disconnect[i] = System.nanoTime() - t0;
            c = networks.endpoint("bench", box).name("measured").connect();
            t0 = System.nanoTime();
            c.disconnect();
            bare[i] = System.nanoTime() - t0;
        }
        return new double[] {ConnectBench.medianOf(publish, 0, reps), ConnectBench.medianOf(unpublish, 0, reps),
            ConnectBench.medianOf(disconnect, 0, reps), ConnectBench.medianOf(bare, 0, reps)};
    }
}
