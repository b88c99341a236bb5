package dev.netlib.examples.cli;

import dev.netlib.examples.bench.Fixed;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * A progress line on standard error while a long command runs, so a bench or a scenario never
 * looks hung; standard output stays the command's own (the bench harness parses it). On a terminal
 * the line is rewritten in place every second; otherwise (CI logs, pipes) a line every 10 seconds.
 */
final class Progress {
    private Progress() {}

    /** Work that may throw anything a {@code main} may. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    /**
     * The thread that prints the progress line until interrupted. A class, not a lambda: the
     * cold-start measurement ({@code bench down 0}) runs through here, and a lambda's first use
     * costs about a millisecond in a fresh JVM.
     */
    private static final class Ticker extends Thread {
        private final String what;
        private final boolean terminal;
        private final long start;
        private final PrintStream err;

        Ticker(String what, boolean terminal, long start, PrintStream err) {
            super("progress");
            this.what = what;
            this.terminal = terminal;
            this.start = start;
            this.err = err;
        }

        @Override
        public void run() {
            try {
                while (true) {
                    TimeUnit.SECONDS.sleep(terminal ? 1 : 10);
                    long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                    String line = "[" + what + "] running, " + s + " s";
                    if (terminal) {
                        err.print("\r" + line);
                    } else {
                        err.println(line);
                    }
                    err.flush();
                }
            } catch (InterruptedException e) {
                // the work ended
            }
        }
    }

    static void during(String what, Work work) throws Exception {
        PrintStream err = System.err;
        boolean terminal = System.console() != null;
        long start = System.nanoTime();
        Thread ticker = new Ticker(what, terminal, start, err);
        ticker.setDaemon(true);
        ticker.start();
        try {
            work.run();
        } finally {
            ticker.interrupt();
            ticker.join();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            err.println((terminal ? "\r" : "") + "[" + what + "] done in " + Fixed.of(ms / 1000.0, 1) + " s");
        }
    }
}
