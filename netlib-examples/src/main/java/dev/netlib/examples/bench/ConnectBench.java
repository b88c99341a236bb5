package dev.netlib.examples.bench;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.examples.scenarios.Sandbox;
import dev.netlib.ipam.FileIpamStore;
import dev.netlib.ipam.IpamStore;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.network.Networks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * What one {@code Networks.connect} costs as a network fills up: N containers connected one after
 * the other to one user-defined network (names resolve, so every connect writes the network's
 * shared hosts file and links the container's to it), each timed in-process. Prints the median of
 * the connects around the 1st, 10th, 100th and 1,000th endpoint, and of connects 11-110 and the
 * last 100 (steadier on a busy machine). Runs in throwaway namespaces (a private host namespace, one per container), deleted at
 * the end; needs root.
 *
 * <p>Usage: {@code connect-bench [N] [file|memory] [hosts|nohosts]} (default 1000 file hosts).
 */
public final class ConnectBench {
    private ConnectBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        boolean file = args.length <= 1 || args[1].equals("file");
        boolean hostsFiles = args.length <= 2 || args[2].equals("hosts");
        Path tmp = Files.createTempDirectory("nl-connect-bench-");
        try (Netlib root = Netlib.open(); Sandbox sandbox = new Sandbox(root, "cb", tmp.resolve("etc"))) {
            Netlib host = root.in(sandbox.namespace("host"));
            IpamStore store = file ? FileIpamStore.open(tmp.resolve("store")) : new MemoryIpamStore();
            Networks networks = Networks.builder(host).store(store).etcNetns(hostsFiles ? tmp.resolve("etc") : null).open();
            networks.create("bench").subnet("10.98.0.0/16").create();
            long[] nanos = new long[n];
            for (int i = 0; i < n; i++) {
                Namespace box = sandbox.namespace("c" + i);
                long t0 = System.nanoTime();
                networks.endpoint("bench", box).name("c" + i).connect();
                nanos[i] = System.nanoTime() - t0;
                box.close();
            }
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "connect-bench: %d endpoints, %s store, hosts files %s;",
                    n, file ? "file" : "memory", hostsFiles ? "on" : "off"));
            for (int at : new int[] {1, 10, 100, 1000}) {
                if (at <= n) {
                    sb.append(String.format(Locale.ROOT, " %d: %.2f ms", at, median(nanos, at) / 1e6));
                }
            }
            if (n >= 200) {
                // ten connects are at the mercy of a busy machine: the medians of a hundred are steadier
                sb.append(String.format(Locale.ROOT, "; median of connects 11-110: %.2f ms, of the last 100: %.2f ms",
                        medianOf(nanos, 10, 110), medianOf(nanos, n - 100, n)));
            }
            System.out.println(sb);
        } finally {
            FileTrees.deleteTree(tmp);
        }
    }

    /** The median of the connects numbered at-5 .. at+4 (1-based, clipped to the run): the cost around the at-th endpoint. */
    static double median(long[] nanos, int at) {
        int from = Math.max(0, at - 5);
        return medianOf(nanos, from, Math.min(nanos.length, Math.max(from + 1, at + 5))) * 1e6;
    }

    /** The median, in ms, of {@code nanos[from..to)}. */
    static double medianOf(long[] nanos, int from, int to) {
        long[] w = Arrays.copyOfRange(nanos, from, to);
        Arrays.sort(w);
        return (w.length % 2 == 1 ? w[w.length / 2] : (w[w.length / 2 - 1] + w[w.length / 2]) / 2.0) / 1e6;
    }
}
