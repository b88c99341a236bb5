package dev.netlib.examples.bench;

import dev.netlib.Netlib;
import dev.netlib.linux.internal.ffi.Syscalls;

/**
 * Where a fresh JVM's first netlib request spends its time, step by step in the order netlib's
 * own start-up meets them, each step timed alone (a step pays for everything it is the first to
 * load): slf4j's first logger (slf4j-simple), the first java.util.logging logger (jffi's loader
 * creates one), binding libc (jffi, its native stub from netlib's cache), {@code Netlib.open()}
 * (the Linux backend), and a first request (RTM_GETLINK for lo, read-only). Prints one JSON line
 * of milliseconds. The JVM's own start before {@code main} is not in it: compare the wall time of
 * the whole command with a class that does nothing (issue 13's cold start).
 *
 * <p>Usage: {@code java -cp netlib-examples.jar dev.netlib.examples.bench.StartupBreakdown} (root
 * not needed).
 */
public final class StartupBreakdown {
    private StartupBreakdown() {}

    public static void main(String[] args) throws Exception {
        long[] at = new long[6];
        at[0] = System.nanoTime();
        org.slf4j.LoggerFactory.getLogger(StartupBreakdown.class);
        at[1] = System.nanoTime();
        java.util.logging.Logger.getLogger(StartupBreakdown.class.getName());
        at[2] = System.nanoTime();
        Syscalls.libc();
        at[3] = System.nanoTime();
        try (Netlib host = Netlib.open()) {
            at[4] = System.nanoTime();
            host.link("lo").info();
            at[5] = System.nanoTime();
        }
        String[] steps = {"slf4j_ms", "jul_ms", "libc_ms", "open_ms", "first_request_ms"};
        StringBuilder line = new StringBuilder("{");
        for (int i = 0; i < steps.length; i++) {
            line.append(i == 0 ? "" : ", ").append('"').append(steps[i]).append("\": ").append(Fixed.of((at[i + 1] - at[i]) / 1e6, 1));
        }
        System.out.println(line.append(", \"total_ms\": ").append(Fixed.of((at[5] - at[0]) / 1e6, 1)).append('}'));
    }
}
