package dev.netlib.lock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who holds a lock on a file, from {@code /proc/locks}, and what that process is doing, from
 * {@code /proc/PID}: the diagnostics of a long wait. Only read when a wait is already slow, and
 * never trusted for anything but messages (a holder may release between the read and the message).
 *
 * <p>A line of {@code /proc/locks} (fs/locks.c, lock_get_status) is {@code ID: TYPE ADVISORY|MANDATORY
 * READ|WRITE PID MAJOR:MINOR:INODE START END}, for example {@code 1: POSIX  ADVISORY  WRITE 12345
 * 00:1a:4567 0 EOF}; a process blocked waiting for that lock is listed after it as {@code 1: ->
 * POSIX ...}. MAJOR and MINOR are hexadecimal, INODE decimal. PID is 0 for a holder outside the
 * reader's pid namespace and -1 for an open file description lock (OFDLCK), which has no process.
 */
final class ProcLocks {
    /** The kernel's list of every file lock of the host. */
    static final Path PROC_LOCKS = Path.of("/proc/locks");

    /** What /proc/PID/stat's state letter (fs/proc/array.c, task_state_array) means for a waiter. */
    private static final Map<Character, String> STATES = Map.of(
            'R', "running",
            'S', "sleeping",
            'D', "in uninterruptible sleep (stuck in the kernel, often on I/O)",
            'T', "stopped by a signal (SIGSTOP, Ctrl-Z)",
            't', "stopped by a debugger (ptrace)",
            'Z', "a zombie",
            'I', "idle");

    private ProcLocks() {}

    /**
     * The pids of the processes holding a lock (not waiting for one) on the file with device
     * {@code major:minor} and inode {@code inode}, in the order listed, without repeats.
     *
     * @param lines the lines of /proc/locks
     * @return the pids; 0 and -1 as the kernel gives them (see the class comment)
     */
    static List<Long> holders(List<String> lines, long major, long minor, long inode) {
        List<Long> pids = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || f[1].equals("->")) {
                continue; // a waiter, or not a lock line
            }
            String[] id = f[5].split(":");
            if (id.length != 3) {
                continue;
            }
            try {
                if (Long.parseLong(id[0], 16) == major && Long.parseLong(id[1], 16) == minor && Long.parseLong(id[2]) == inode) {
                    long pid = Long.parseLong(f[4]);
                    if (!pids.contains(pid)) {
                        pids.add(pid);
                    }
                }
            } catch (NumberFormatException notALock) {
                // a line of another shape (a future kernel's): not ours
            }
        }
        return pids;
    }

    /**
     * The holders of a lock on {@code file} now, or none when it cannot be told (no /proc, a file
     * system whose stat device is not the one /proc/locks shows).
     *
     * @param file the locked file
     * @return the pids, as {@link #holders(List, long, long, long)} gives them
     */
    static List<Long> holders(Path file) {
        try {
            Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
            long dev = (Long) a.get("dev");
            long ino = (Long) a.get("ino");
            return holders(Files.readAllLines(PROC_LOCKS, StandardCharsets.US_ASCII), major(dev), minor(dev), ino);
        } catch (IOException | RuntimeException unknown) {
            return List.of();
        }
    }

    /** The major number of a user-space {@code st_dev} (glibc's gnu_dev_major: 12 bits at 8, the rest from 32). */
    static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    }

    /** The minor number of a user-space {@code st_dev} (glibc's gnu_dev_minor: 8 bits at 0, the rest from 12). */
    static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & ~0xffL & 0xffffffffL);
    }

    /**
     * The holders, described for a message: {@code "process 12345 (java), stopped by a signal
     * (SIGSTOP, Ctrl-Z): kill -CONT 12345 resumes it"}, or {@code "an unknown process"}.
     *
     * @param pids as {@link #holders(Path)} gives them
     * @return a phrase to follow "held by"
     */
    static String describe(List<Long> pids) {
        if (pids.isEmpty()) {
            return "a process not shown in " + PROC_LOCKS + " (released just now, or on a file system whose locks it lists otherwise)";
        }
        List<String> each = new ArrayList<>();
        for (long pid : pids) {
            each.add(describe(pid, Path.of("/proc")));
        }
        return String.join(" and ", each);
    }

    /** One holder, its name and state read from {@code proc}/PID. */
    static String describe(long pid, Path proc) {
        if (pid == 0) {
            return "a process outside this pid namespace";
        }
        if (pid < 0) {
            return "an open file description lock (no single process)";
        }
        StringBuilder sb = new StringBuilder("process ").append(pid);
        try {
            String stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            // pid (comm) state ...: comm may hold spaces and parentheses, so look from the last ')'
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            if (open >= 0 && close > open && close + 2 < stat.length()) {
                char state = stat.charAt(close + 2);
                sb.append(" (").append(stat, open + 1, close).append(")");
                String meaning = STATES.get(state);
                sb.append(", ").append(meaning != null ? meaning : "state " + state);
                if (state == 'T') {
                    sb.append(": kill -CONT ").append(pid).append(" resumes it");
                } else if (state == 't') {
                    sb.append(": it goes on when its debugger lets it");
                }
            }
        } catch (IOException | RuntimeException gone) {
            sb.append(" (gone now, or not readable)");
        }
        return sb.toString();
    }
}
