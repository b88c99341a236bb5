package dev.netlib.testing.etcd;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A {@code sh} beside etcd that deletes the data directory the moment its JVM dies without closing
 * it, instead of at the next start somewhere ({@link Orphans}): on /dev/shm an etcd directory holds
 * about 120 MB of memory (etcd 3.4 preallocates a 64 MB write-ahead log), which a CI machine should
 * not keep until the next etcd test. It reads lines on a pipe whose write end only this JVM holds
 * (the JDK closes every other fd in the processes it starts), so end of file means the JVM is gone:
 * then it SIGKILLs the etcd this JVM last said was running (named by pid and start time, so a reused
 * pid is spared), waits up to 5 s for it to end and removes the directory, its {@link OwnerMark}
 * last. If etcd will not end, the directory stays for the sweep. {@link ThrowawayEtcd#close()}
 * kills the reaper first and cleans up itself; a kill of the whole process group takes the reaper
 * too, which the sweep then covers.
 */
final class Reaper implements AutoCloseable {
    /** $1 is the directory; lines are {@code PID STARTTICKS} of the running etcd, or {@code - -}. */
    private static final String SCRIPT = String.join("\n",
            "dir=$1 pid=- start=-",
            "while read -r p s; do pid=$p start=$s; done",
            // no globbing of a stat line (a reused pid's name may hold * or ?); a name with spaces can
            // only shift the fields, which then fail the start-time match
            "alive() { set -f; set -- $(cat \"/proc/$pid/stat\" 2>/dev/null); set +f;"
                    + " [ $# -ge 22 ] && [ \"$3\" != Z ] && [ \"${22}\" = \"$start\" ]; }",
            // the owner mark goes last, so a directory this cannot finish stays one the sweep recognises
            "clean() { for f in \"$dir\"/*; do [ \"$f\" = \"$dir/owner\" ] || rm -rf -- \"$f\" || return 1; done;"
                    + " rm -f -- \"$dir/owner\" && rmdir -- \"$dir\"; }",
            // not told of an etcd: the JVM may have died between starting one and announcing it; without
            // setpriv that etcd lives on, and only the sweep (which kills by --data-dir) can find it,
            // through this directory: leave it
            "[ \"$pid\" = - ] && exit 0",
            "alive && kill -9 \"$pid\" 2>/dev/null",
            "i=0; while alive && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done",
            "alive || clean");
    private static final Path SH = Path.of("/bin/sh");

    private final Process process;
    private final OutputStream pipe;

    private Reaper(Process process) {
        this.process = process;
        this.pipe = process.getOutputStream();
    }

    /**
     * Starts the reaper of {@code dir}.
     *
     * @return it, or empty where there is no /bin/sh (the sweep is then all there is)
     * @throws IOException when it cannot be started
     */
    static Optional<Reaper> start(Path dir) throws IOException {
        if (!Files.isExecutable(SH)) {
            return Optional.empty();
        }
        Process p = new ProcessBuilder(List.of(SH.toString(), "-c", SCRIPT, "throwaway-etcd-reaper", dir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return Optional.of(new Reaper(p));
    }

    /** Tells the reaper which etcd runs now: the one to kill if the JVM dies. */
    void running(Process etcd) {
        OptionalLong since = ProcFiles.runningSince(etcd.pid());
        if (since.isPresent()) {
            running(etcd.pid(), since.getAsLong());
        } else {
            stopped();
        }
    }

    /** Tells the reaper that the process {@code pid} that started at {@code startTicks} is the etcd. */
    void running(long pid, long startTicks) {
        say(pid + " " + startTicks);
    }

    /** Tells the reaper that no etcd runs (stopped, or failed to start). */
    void stopped() {
        say("- -");
    }

    private void say(String line) {
        try {
            pipe.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            pipe.flush();
        } catch (IOException reaperGone) {
            // killed with the process group, say: the sweep covers what it would have done
        }
    }

    /**
     * Closes this JVM's end of the pipe, as the kernel does when the JVM dies: for tests.
     *
     * @return the reaper's process, which now cleans up and ends
     */
    Process orphan() {
        try {
            pipe.close();
        } catch (IOException ignored) {
            // it reads end of file all the same
        }
        return process;
    }

    /** Kills the reaper, which then does nothing: the caller cleans up itself. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            pipe.close();
        } catch (IOException ignored) {
            // the reaper is dead: nothing reads it
        }
    }
}
