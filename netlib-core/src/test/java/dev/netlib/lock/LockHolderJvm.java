package dev.netlib.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.testjvm.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another JVM that holds a lock, for the lock tests of every module (netlib-native's through
 * netlib-core's test-jar): it runs a main class of the test class path (a holder such as {@link
 * HostFileLockHolder}) that takes its lock, prints {@code LOCKED} and keeps it until its stdin
 * ends; {@link #start} returns once the line came, so the lock is held. {@link #close()} kills it
 * (SIGKILL) and waits for it, so a test's finally never leaves a child behind.
 */
public final class LockHolderJvm implements AutoCloseable {
    private final Process process;

    private LockHolderJvm(Process process) {
        this.process = process;
    }

    /**
     * Starts a {@link HostFileLockHolder} on {@code file} and waits until it holds the lock.
     *
     * @param file the lock file
     * @return the holder
     * @throws IOException when the JVM cannot be started or its output read
     */
    public static LockHolderJvm holding(Path file) throws IOException {
        return start(HostFileLockHolder.class, file.toString());
    }

    /**
     * Starts {@code main} with {@code args} in a JVM on this JVM's class path and waits until it
     * prints {@code LOCKED}; anything else (or nothing) fails the test, the JVM killed.
     *
     * @param main the holder's main class
     * @param args its arguments
     * @return the holder
     * @throws IOException when the JVM cannot be started or its output read
     */
    public static LockHolderJvm start(Class<?> main, String... args) throws IOException {
        Process p = ChildJvm.builder(List.of(), main, args).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        boolean locked = false;
        try {
            String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(line).as("the first line of " + main.getSimpleName()).isEqualTo("LOCKED");
            locked = true;
        } finally {
            if (!locked) {
                kill(p);
            }
        }
        return new LockHolderJvm(p);
    }

    /**
     * The holder's pid.
     *
     * @return the pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * The holder's process, for its exit value.
     *
     * @return the process
     */
    public Process process() {
        return process;
    }

    /**
     * Sends the holder a line on its stdin (HostFileLockHolder's {@code delete}).
     *
     * @param line the line, without its end
     * @throws IOException when the pipe is closed
     */
    public void say(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /**
     * Ends the holder's stdin, so it releases its lock and exits, and waits at most 10 s for that.
     *
     * @throws Exception when the wait is interrupted
     */
    public void release() throws Exception {
        process.getOutputStream().close();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("the holder exited once told to let go").isTrue();
    }

    /**
     * Stops the holder (SIGSTOP), as a debugger or Ctrl-Z would: alive, holding its lock.
     *
     * @throws Exception when kill(1) fails
     */
    public void stop() throws Exception {
        signal("STOP", process.pid());
    }

    /**
     * Lets a stopped holder go on (SIGCONT).
     *
     * @throws Exception when kill(1) fails
     */
    public void resume() throws Exception {
        signal("CONT", process.pid());
    }

    /** Kills the holder with SIGKILL, which never lets it release its lock itself; does not wait. */
    public void kill() {
        process.destroyForcibly();
    }

    /**
     * Kills the holder (SIGKILL) if it still runs, and waits at most 10 s for it to end.
     */
    @Override
    public void close() {
        kill(process);
    }

    private static void kill(Process p) {
        try {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // killed all the same; the caller sees the flag
        }
    }

    /** Sends SIGNAL (STOP, CONT) to {@code pid} with kill(1). */
    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -" + signal).isZero();
    }

    /**
     * The pids that hold a lock on {@code file} now, as /proc/locks lists them: to see that a lock
     * is held by whom a test expects, and was not dropped behind its holder's back.
     *
     * @param file the file
     * @return the holders' pids
     */
    public static List<Long> holdersOf(Path file) {
        return ProcLocks.holders(file);
    }
}
