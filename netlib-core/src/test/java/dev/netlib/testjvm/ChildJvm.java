package dev.netlib.testjvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVMs the multi-process tests of every module start (netlib-native's, netlib-etcd's and the
 * examples' through netlib-core's test-jar), and the flag file that starts a group of them at once.
 */
public final class ChildJvm {
    /** How long a child waits for the start flag before it goes anyway (the test has failed by then). */
    private static final long START_WAIT_MILLIS = 30_000;

    private ChildJvm() {}

    /**
     * The command that runs {@code main} with {@code args} in a JVM of its own: this JVM's java, then
     * {@code jvmOptions}, then the test class path. Always with {@code -XX:-UsePerfData}: a child a
     * test kills with SIGKILL would leave its /tmp/hsperfdata_USER/PID file behind.
     *
     * @param jvmOptions options before the class path ({@code -D...}, {@code -X...}), may be empty
     * @param main the main class, on the test class path
     * @param args its arguments
     * @return the command line, to start or to prefix (setpriv, ip netns exec)
     */
    public static List<String> command(List<String> jvmOptions, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:-UsePerfData");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        // surefire's own list when there is one: java.class.path may be its manifest-only booter jar
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * A builder for {@link #command}, to set redirects and start.
     *
     * @param jvmOptions options before the class path, may be empty
     * @param main the main class
     * @param args its arguments
     * @return the process builder
     */
    public static ProcessBuilder builder(List<String> jvmOptions, Class<?> main, String... args) {
        return new ProcessBuilder(command(jvmOptions, main, args));
    }

    /**
     * A path for a start flag that does not exist yet: the test creates it when every child should go.
     *
     * @param prefix the temporary file's prefix
     * @return the path, to delete in the test's finally
     * @throws IOException when the temporary directory is not writable
     */
    public static Path newStartFlag(String prefix) throws IOException {
        Path flag = Files.createTempFile(prefix, ".flag");
        Files.delete(flag);
        return flag;
    }

    /**
     * In a child: waits until the start flag exists, polling every millisecond so that the children
     * of a group start within about one of each other; after 30 s it returns anyway.
     *
     * @param flag the start flag
     * @throws InterruptedException when interrupted
     */
    public static void awaitStartFlag(Path flag) throws InterruptedException {
        long deadline = System.currentTimeMillis() + START_WAIT_MILLIS;
        while (!Files.exists(flag) && System.currentTimeMillis() < deadline) {
            Thread.sleep(1);
        }
    }
}
