package dev.netlib.testing.etcd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * What {@code /proc} tells about a process (proc(5)): whether it runs and since when, its command
 * line, and this JVM's boot and pid namespace. Every read is of a file the kernel writes at once;
 * a process that is gone or unreadable reads as not running.
 */
final class ProcFiles {
    /** The start time's field in {@code /proc/PID/stat}, counted from 1 as proc(5) does. */
    private static final int STARTTIME_FIELD = 22;
    /** The state's field: the first one after the command name in parentheses. */
    private static final int STATE_FIELD = 3;

    private ProcFiles() {}

    /**
     * When {@code pid} started, in clock ticks after boot ({@code starttime} of {@code
     * /proc/PID/stat}): together with the pid, it names one process for the whole boot, as the
     * kernel gives a freed pid to a later process only. A zombie counts as ended.
     *
     * @return the start time, or empty when no process {@code pid} runs
     */
    static OptionalLong runningSince(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException gone) {
            return OptionalLong.empty();
        }
        // the command name (field 2) is in parentheses and may hold spaces and ')': fields 3.. follow the last ')'
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 > stat.length()) {
            return OptionalLong.empty();
        }
        String[] f = stat.substring(close + 2).trim().split(" ");
        if (f.length <= STARTTIME_FIELD - STATE_FIELD) {
            return OptionalLong.empty();
        }
        char state = f[0].isEmpty() ? 'X' : f[0].charAt(0);
        if (state == 'Z' || state == 'X') {
            return OptionalLong.empty(); // exited; only its parent's wait is left
        }
        try {
            return OptionalLong.of(Long.parseLong(f[STARTTIME_FIELD - STATE_FIELD]));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The arguments {@code pid} was started with ({@code /proc/PID/cmdline}, NUL-separated).
     *
     * @return the arguments, empty when the process is gone, unreadable or a kernel thread
     */
    static List<String> commandLine(long pid) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
        } catch (IOException | RuntimeException gone) {
            return List.of();
        }
        List<String> args = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                args.add(new String(raw, from, i - from, StandardCharsets.UTF_8));
                from = i + 1;
            }
        }
        if (from < raw.length) {
            args.add(new String(raw, from, raw.length - from, StandardCharsets.UTF_8));
        }
        return args;
    }

    /**
     * This boot's random id ({@code /proc/sys/kernel/random/boot_id}): a pid and start time recorded
     * under another boot id name no process that can still run.
     *
     * @return the id, or {@code "unknown"} when it cannot be read
     */
    static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * This JVM's pid namespace ({@code pid:[INODE]}): a pid means the same process only to a reader
     * in the same pid namespace (a container sharing /tmp with its host sees other numbers).
     *
     * @return the namespace, or {@code "unknown"} when it cannot be read
     */
    static String pidNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
