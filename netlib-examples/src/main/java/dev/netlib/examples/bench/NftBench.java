package dev.netlib.examples.bench;

import dev.netlib.linux.internal.ffi.LinuxConstants;
import dev.netlib.linux.internal.ffi.Syscalls;
import dev.netlib.linux.internal.nft.NftFirewall;
import dev.netlib.spi.nft.Protocol;
import dev.netlib.spi.nft.DnatRule;
import dev.netlib.spi.nft.FirewallChange;
import dev.netlib.spi.nft.FirewallRule;
import dev.netlib.spi.nft.MasqueradeRule;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * nf_tables port-mapping benchmark, the in-process counterpart of shared/bench/nft_bench.sh: the
 * table with a masquerade rule ({@code ip saddr 10.77.0.0/16 oifname != "nbbr0" masquerade}) and N
 * DNAT port mappings ({@code tcp dport 20000+i -> 10.77.x.y:80}) in ONE call (one nf_tables batch),
 * then removed in one call; and a single mapping added and removed with N mappings present.
 *
 * <p>Runs inside a private network namespace made with unshare(CLONE_NEWNET) on a thread of its
 * own (that thread ends at once; the netlink socket keeps the namespace alive until it is closed,
 * then the kernel destroys it with its ruleset): nothing can be left behind and the machine's
 * ruleset is never touched. Each netlib mapping is one element of map {@code published} (the
 * table's layout of chains, sets and lookup rules comes with the first); the shell benchmark's
 * mappings are rules in prerouting.
 *
 * <p>Usage: {@code nft-bench [N=100] [REPS=5]}, or {@code nft-conn-bench ...} ({@code nft-bench conn ...} when called directly) for {@link NftConnBench}.
 * Prints a table and one JSON line.
 */
public final class NftBench {
    private NftBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("conn")) {
            NftConnBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        if (Syscalls.libc().geteuid() != 0) {
            System.err.println("nft-bench needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN for unshare(CLONE_NEWNET))");
            System.exit(2);
        }
        try (NftFirewall fw = inPrivateNamespace()) {
            run(fw, n, reps);
        }
    }

    static NftFirewall inPrivateNamespace() {
        AtomicReference<Object> r = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Syscalls.check("unshare(CLONE_NEWNET)", () -> Syscalls.libc().unshare(LinuxConstants.CLONE_NEWNET));
                r.set(NftFirewall.open());
            } catch (Throwable e) {
                r.set(e);
            }
            // this thread is in the private namespace: it ends here and is never reused
        }, "nlf-bench-unshare");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (r.get() instanceof NftFirewall fw) {
            return fw;
        }
        throw new IllegalStateException("cannot open a private namespace", (Throwable) r.get());
    }

    static DnatRule mapping(int i) {
        int k = i + 2;
        InetAddress target = IpAddresses.parse("10.77." + (k >> 8) + "." + (k & 255));
        return new DnatRule(Protocol.TCP, null, 20000 + i, 20000 + i, target, 80);
    }

    static List<FirewallChange> adds(List<? extends FirewallRule> rules) {
        return rules.stream().map(FirewallChange::add).toList();
    }

    static List<FirewallChange> deletes(List<? extends FirewallRule> rules) {
        return rules.stream().map(FirewallChange::delete).toList();
    }

    static void run(NftFirewall fw, int n, int reps) {
        MasqueradeRule masq = new MasqueradeRule(IpPrefix.parseSubnet("10.77.0.0/16"), "nbbr0", true);
        List<FirewallRule> all = new ArrayList<>();
        all.add(masq);
        for (int i = 0; i < n; i++) {
            all.add(mapping(i));
        }
        // the first call of a fresh JVM (class loading, interpreter), reported apart; the list of
        // changes is the caller's, built before the clock starts (as it is before every timed call)
        List<FirewallChange> first = adds(all);
        long[] s0 = schedstat();
        long c0 = System.nanoTime();
        fw.apply(first);
        double cold = (System.nanoTime() - c0) / 1e6;
        long[] s1 = schedstat();
        // of the wall time: on a CPU (Java and the kernel's work for this thread) and waiting for one
        double coldOnCpu = s0[0] < 0 || s1[0] < 0 ? -1 : (s1[0] - s0[0]) / 1e6;
        double coldWaiting = s0[1] < 0 || s1[1] < 0 ? -1 : (s1[1] - s0[1]) / 1e6;
        fw.apply(deletes(all));
        // warm-up: JIT, jnr-ffi stubs, the kernel's nat modules and caches
        for (int w = 0; w < 30; w++) {
            fw.apply(adds(all));
            fw.apply(deletes(all));
        }
        double[] setup = new double[reps];
        double[] teardown = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            fw.apply(adds(all));
            long t1 = System.nanoTime();
            int rules = fw.rules().size(); // untimed check: read back from the kernel
            if (rules != 1 + n) {
                throw new IllegalStateException("expected " + (1 + n) + " rules, found " + rules);
            }
            long t2 = System.nanoTime();
            fw.apply(deletes(all));
            long t3 = System.nanoTime();
            if (fw.generation() < 0 || !fw.rules().isEmpty()) {
                throw new IllegalStateException("rules left after teardown");
            }
            setup[r] = (t1 - t0) / 1e6;
            teardown[r] = (t3 - t2) / 1e6;
        }
        // one call per mapping (what per-rule `nft add`/`nft delete rule` does with processes)
        fw.apply(List.of(FirewallChange.add(masq)));
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            fw.apply(List.of(FirewallChange.add(mapping(i))));
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            fw.apply(List.of(FirewallChange.delete(mapping(i))));
        }
        long t2 = System.nanoTime();
        double perAdd = (t1 - t0) / 1e6 / n;
        double perDel = (t2 - t1) / 1e6 / n;
        // single mapping add/remove latency with N mappings installed
        fw.apply(adds(all.subList(1, all.size())));
        int iters = 200;
        double[] add = new double[iters];
        double[] del = new double[iters];
        for (int i = 0; i < iters; i++) {
            DnatRule one = mapping(n + 1000 + i);
            long a = System.nanoTime();
            fw.apply(List.of(FirewallChange.add(one)));
            long b = System.nanoTime();
            fw.apply(List.of(FirewallChange.delete(one)));
            long c = System.nanoTime();
            add[i] = (b - a) / 1e6;
            del[i] = (c - b) / 1e6;
        }
        fw.apply(deletes(fw.rules()));

        System.out.printf(Locale.ROOT, "netlib nf_tables benchmark, N=%d mappings (%d map elements + masquerade), %d reps, private netns%n", n, n, reps);
        System.out.printf(Locale.ROOT, "  one call, all mappings:   setup %s ms   teardown %s ms   (first call of the JVM: %.1f ms)%n",
                stats(setup), stats(teardown), cold);
        System.out.printf(Locale.ROOT, "  one call per mapping:     add %.3f ms each   delete %.3f ms each%n", perAdd, perDel);
        System.out.printf(Locale.ROOT, "  single mapping with N present (%d times): add %s ms   remove %s ms   (p99 add %.3f, remove %.3f)%n",
                iters, stats(add), stats(del), pct(add, 0.99), pct(del, 0.99));
        System.out.printf(Locale.ROOT, "{\"bench\": \"nft\", \"method\": \"netlib\", \"n\": %d, \"cold_setup_ms\": %.3f, "
                        + "\"cold_setup_oncpu_ms\": %.3f, \"cold_setup_runqueue_ms\": %.3f, \"setup_ms\": %.3f, \"teardown_ms\": %.3f, "
                        + "\"per_call_add_ms\": %.4f, \"per_call_delete_ms\": %.4f, \"single_add_ms_median\": %.4f, \"single_remove_ms_median\": %.4f, "
                        + "\"single_add_ms_p99\": %.4f, \"single_remove_ms_p99\": %.4f}%n",
                n, cold, coldOnCpu, coldWaiting, pct(setup, 0.5), pct(teardown, 0.5), perAdd, perDel, pct(add, 0.5), pct(del, 0.5), pct(add, 0.99), pct(del, 0.99));
    }

    /**
     * This thread's time on a CPU and waiting in the run queue, in ns (/proc/thread-self/schedstat,
     * its first two fields); -1 each when the kernel does not provide it.
     */
    static long[] schedstat() {
        try {
            String[] f = Files.readString(Path.of("/proc/thread-self/schedstat")).trim().split(" ");
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    static String stats(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "%.3f [%.3f..%.3f]", pct(v, 0.5), s[0], s[s.length - 1]);
    }

    static double pct(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.floor(p * (s.length - 1) + 0.5))];
    }
}
