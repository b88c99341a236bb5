package dev.netlib.network;

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
 *   <li>another boot id: on a store of this host the machine rebooted, so the owner is gone; on a
 *       shared store it may be another host, so it counts as alive (a lease-based store proves more).</li>
 * </ul>
 */
final class Liveness {
    static final String BOOT = readBootId();
    private static final Owner SELF = new Owner(BOOT, ProcessHandle.current().pid(), startTicks(ProcessHandle.current().pid()), 0);
    private static final AtomicLong SEQ = new AtomicLong();
    private static final Set<Long> RUNNING = ConcurrentHashMap.newKeySet();

    private Liveness() {}

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
        if (o.sameProcess(SELF)) {
            return RUNNING.contains(o.seq());
        }
        if (!o.boot().equals(BOOT)) {
            return sharedStore;
        }
        return startTicks(o.pid()) == o.start();
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
