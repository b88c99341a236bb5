package dev.netlib.network;

import dev.netlib.ipam.IpamStore;
import dev.netlib.ipam.ProcessLease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Proof that the owner of work found in the store is alive. An operation registers itself here
 * while it runs ({@link #begin}/{@link #end}); its pending note and leases carry its {@link Owner}.
 * Another party decides:
 * <ul>
 *   <li>same process: alive while the operation is registered (a crashed or finished operation is not);</li>
 *   <li>same boot of this machine: alive while {@code /proc/PID/stat} shows a process with that pid and
 *       the same start time (clock ticks since boot; a reused pid has a later one);</li>
 *   <li>another boot id, and the owner carries a lease of a store that can prove it ({@link
 *       ProcessLease}, e.g. etcd): alive while that lease exists. The owning process keeps it alive;
 *       it expires a time-to-live after the process died, on whatever host that was;</li>
 *   <li>another boot id and no provable lease: on a store of this host the machine rebooted, so the
 *       owner is gone; on a shared store it may be another host, so it counts as alive.</li>
 * </ul>
 */
final class Liveness {
    static final String BOOT = readBootId();
    private static final Owner SELF = new Owner(BOOT, ProcessHandle.current().pid(), startTicks(ProcessHandle.current().pid()), 0);
    private static final AtomicLong SEQ = new AtomicLong();
    private static final Set<Long> RUNNING = ConcurrentHashMap.newKeySet();

    private Liveness() {}

    /** A new operation of this process on {@code store}, registered as running, with the store's lease if it has one. */
    static Owner begin(IpamStore store) {
        long lease = store instanceof ProcessLease p ? p.processLease() : 0; // first: it may fail
        return begin().withLease(lease);
    }

    /** A new operation of this process, registered as running. */
    static Owner begin() {
        long seq = SEQ.incrementAndGet();
        RUNNING.add(seq);
        return new Owner(SELF.boot(), SELF.pid(), SELF.start(), seq);
    }

    /** An owner of this process whose operation is already over (for records written by a repair). */
    static Owner finished() {
        Owner o = begin();
        end(o);
        return o;
    }

    /** The operation ended (done, failed or crashed): its leftovers are reconcile's from now on. */
    static void end(Owner o) {
        RUNNING.remove(o.seq());
    }

    /** See the class comment; {@code sharedStore}: the store may be written by other hosts. */
    static boolean alive(Owner o, boolean sharedStore) {
        return alive(o, null, sharedStore);
    }

    /** As {@link #alive(Owner, boolean)} for work found in {@code s}, whose store may prove a lease. */
    static boolean alive(Owner o, State s) {
        return alive(o, s.store(), s.shared());
    }

    private static boolean alive(Owner o, IpamStore store, boolean sharedStore) {
        if (o.sameProcess(SELF)) {
            return RUNNING.contains(o.seq());
        }
        if (thisMachine(o)) {
            return startTicks(o.pid()) == o.start();
        }
        if (o.lease() != 0 && store instanceof ProcessLease p) {
            return p.leaseExists(o.lease());
        }
        return sharedStore;
    }

    /**
     * True if {@code o} ran on this machine since it booted: only then may its kernel objects be
     * touched from here (another host's links live in another kernel; a reboot took this one's).
     */
    static boolean thisMachine(Owner o) {
        return o.boot().equals(BOOT);
    }

    /** Field 22 of /proc/PID/stat (start time in clock ticks since boot), or -1 if there is no such process. */
    static long startTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String readBootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
        } catch (IOException | RuntimeException e) {
            return "0"; // no /proc: every owner of this store is then judged by pid and start time alone
        }
    }
}
