package dev.netlib.testing.etcd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Has the kernel SIGKILL etcd when the JVM that started it dies, whatever kills the JVM: etcd is
 * started through {@code setpriv --pdeathsig KILL} (util-linux; {@code --pdeathsig} since 2.33; in
 * Debian 12's essential util-linux package, a separate package {@code setpriv} in some older
 * releases), which sets prctl(PR_SET_PDEATHSIG) and execs; the setting survives exec of a binary
 * that is not setuid. Where there is no setpriv that knows {@code --pdeathsig} (found on the PATH,
 * {@code /usr/bin} or {@code /bin} and tried once), etcd starts as before, and a SIGKILLed JVM's
 * etcd is left to the next {@link Orphans#sweep}.
 *
 * <p>Two kernel rules shape it. The signal comes when the parent <em>thread</em> ends, not the
 * process (prctl(2): "the 'parent' in this case is considered to be the thread that created this
 * process"; kernel/exit.c forget_original_parent sends it on reparenting): so etcd is started from
 * a thread that lives as long as etcd does ({@link ParentThread}). And a parent that dies before
 * the prctl sends nothing: so between setpriv and etcd a {@code sh} checks that its parent is
 * still this JVM ({@code $PPID}, read after the prctl) and gives up otherwise, as an orphan's
 * parent is init or a subreaper by then.
 */
final class DeathSignal {
    /** Exits unless the parent is the JVM (argument 1), then execs the rest of its arguments. */
    private static final String GUARD = "[ \"$PPID\" = \"$1\" ] || exit 125; shift; exec \"$@\"";
    private static final Path SH = Path.of("/bin/sh");
    private static volatile Optional<Path> setpriv;

    private DeathSignal() {}

    /**
     * {@code command}, started so that the kernel kills it when this JVM dies, when setpriv can.
     *
     * @return {@code setpriv --pdeathsig KILL -- /bin/sh -c GUARD throwaway-etcd JVMPID COMMAND...},
     *     or {@code command} itself where there is no usable setpriv
     */
    static List<String> wrap(List<String> command) {
        return wrapFor(ProcessHandle.current().pid(), command);
    }

    /** {@link #wrap} with a guard that wants {@code parentPid} for the parent: for tests of the guard. */
    static List<String> wrapFor(long parentPid, List<String> command) {
        Optional<Path> tool = setpriv();
        return tool.isPresent() ? wrap(tool.get(), command, parentPid) : command;
    }

    /**
     * Whether started commands are wrapped.
     *
     * @return true when this machine's setpriv knows {@code --pdeathsig}
     */
    static boolean available() {
        return setpriv().isPresent();
    }

    private static List<String> wrap(Path tool, List<String> command, long parentPid) {
        List<String> wrapped = new ArrayList<>(List.of(tool.toString(), "--pdeathsig", "KILL", "--",
                SH.toString(), "-c", GUARD, "throwaway-etcd", Long.toString(parentPid)));
        wrapped.addAll(command);
        return wrapped;
    }

    /** setpriv, once found and tried (an old util-linux has setpriv without --pdeathsig). */
    private static Optional<Path> setpriv() {
        Optional<Path> s = setpriv;
        if (s == null) {
            s = find().filter(DeathSignal::works);
            setpriv = s;
        }
        return s;
    }

    private static Optional<Path> find() {
        if (!Files.isExecutable(SH)) {
            return Optional.empty();
        }
        return Executables.find("setpriv", "/usr/bin", "/bin");
    }

    /** Runs {@code true} wrapped, as etcd will be: it must exit 0. */
    private static boolean works(Path tool) {
        try {
            Process p = new ProcessBuilder(wrap(tool, List.of("true"), ProcessHandle.current().pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
