package dev.netlib.network;

import dev.netlib.error.NetlibException;

/**
 * Who runs an operation: a process (the machine's boot, its pid, its start time in clock ticks
 * since boot, which together never repeat) and the operation's number in it. Written into every
 * pending note and address lease, so another process can tell whether the work it sees in the store
 * is still going on ({@link Liveness#alive}) or was left by a process that is gone.
 *
 * @param boot  the kernel's boot id (/proc/sys/kernel/random/boot_id): pids restart with each boot
 * @param pid   the process id
 * @param start the process's start time in clock ticks since boot (field 22 of /proc/PID/stat)
 * @param seq   the operation's number within the process
 * @param lease the process's lease on a shared store ({@link dev.netlib.ipam.ProcessLease}), 0 if none:
 *              proves liveness to other hosts, for whom pid and start time mean nothing
 */
record Owner(String boot, long pid, long start, long seq, long lease) {
    /** An owner without a store lease. */
    Owner(String boot, long pid, long start, long seq) {
        this(boot, pid, start, seq, 0);
    }

    /** {@code BOOT/PID/START/SEQ}, then {@code /LEASE} (hexadecimal) if there is one. */
    String encode() {
        return boot + "/" + pid + "/" + start + "/" + seq + (lease == 0 ? "" : "/" + Long.toHexString(lease));
    }

    static Owner decode(String key, String text) {
        String[] f = text == null ? new String[0] : text.split("/");
        if (f.length < 4 || f.length > 5 || !f[0].matches("[0-9a-f-]{1,64}")) {
            throw new NetlibException("stored entry " + key + " is corrupt: owner '" + text + "' is not BOOT/PID/START/SEQ[/LEASE]");
        }
        try {
            return new Owner(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    f.length == 5 ? Long.parseUnsignedLong(f[4], 16) : 0);
        } catch (NumberFormatException e) {
            throw new NetlibException("stored entry " + key + " is corrupt: owner '" + text + "' has a bad number", e);
        }
    }

    /** This owner with the store lease {@code id}. */
    Owner withLease(long id) {
        return new Owner(boot, pid, start, seq, id);
    }

    /** True if this is an operation of the process {@code other} belongs to. */
    boolean sameProcess(Owner other) {
        return boot.equals(other.boot) && pid == other.pid && start == other.start;
    }

    @Override
    public String toString() {
        return "pid " + pid + " (operation " + seq + ")";
    }
}
