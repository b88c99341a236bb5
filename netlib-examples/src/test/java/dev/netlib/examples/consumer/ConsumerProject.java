package dev.netlib.examples.consumer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A Maven project outside the reactor, in a temporary directory, that uses netlib the way an
 * application does: through the jars and POMs this build just packaged, from a local repository of
 * its own. That repository is made here: netlib's artifacts are copied into it from the reactor's
 * {@code target/} directories, and every other top-level entry of the developer's local repository
 * is a symbolic link, so the consumer build finds the plugins and libraries already downloaded
 * without {@code mvn install} ever writing netlib SNAPSHOTs into the shared one. The consumer build
 * runs offline when this build does.
 */
final class ConsumerProject implements AutoCloseable {
    /** netlib's modules a consumer can see: the parent POM and the published artifacts. */
    private static final List<String> PUBLISHED = List.of("netlib-parent", "netlib-bom", "netlib-core", "netlib-native",
            "netlib-etcd", "netlib-test", "netlib-testing-etcd");

    final Path dir;
    private final Path repo;
    private final Path reactor;
    final String version;

    private ConsumerProject(Path dir) {
        this.dir = dir;
        this.repo = dir.resolve("repo");
        this.reactor = Path.of("").toAbsolutePath().getParent();
        this.version = System.getProperty("netlib.version", "0.1.0-SNAPSHOT");
    }

    /**
     * A new consumer project directory with its local repository seeded. Skipped (with the reason)
     * when the reactor's jars are not there, as in {@code mvn test}: they exist from {@code package} on.
     */
    static ConsumerProject create(String tag) throws IOException {
        ConsumerProject p = new ConsumerProject(Files.createTempDirectory("netlib-consumer-" + tag + "-"));
        try {
            p.seedRepository();
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    private void seedRepository() throws IOException {
        Path local = Path.of(System.getProperty("netlib.localRepository",
                System.getProperty("user.home") + "/.m2/repository"));
        Files.createDirectories(repo);
        linkAllBut(local, repo, "dev");
        if (Files.isDirectory(local.resolve("dev"))) {
            linkAllBut(local.resolve("dev"), repo.resolve("dev"), "netlib");
        }
        for (String artifact : PUBLISHED) {
            Path module = artifact.equals("netlib-parent") ? reactor : reactor.resolve(artifact);
            if (!Files.isRegularFile(module.resolve("pom.xml"))) {
                continue; // a module this checkout does not have yet
            }
            Path target = Files.createDirectories(repo.resolve("dev/netlib/" + artifact + "/" + version));
            Files.copy(module.resolve("pom.xml"), target.resolve(artifact + "-" + version + ".pom"));
            if (!artifact.equals("netlib-parent") && !artifact.equals("netlib-bom")) {
                Path jar = module.resolve("target/" + artifact + "-" + version + ".jar");
                Assumptions.assumeTrue(Files.isRegularFile(jar),
                        "needs the reactor's packaged jars (mvn verify, not mvn test): no " + jar);
                Files.copy(jar, target.resolve(artifact + "-" + version + ".jar"));
            }
        }
    }

    private static void linkAllBut(Path from, Path to, String except) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> entries = Files.list(from)) {
            for (Path e : (Iterable<Path>) entries::iterator) {
                if (!e.getFileName().toString().equals(except)) {
                    Files.createSymbolicLink(to.resolve(e.getFileName().toString()), e);
                }
            }
        }
    }

    /** Writes {@code text} to {@code relative} inside the project, making its directories. */
    ConsumerProject write(String relative, String text) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return this;
    }

    /** The result of one command: its exit code and everything it printed. */
    record Run(int exitCode, String output) {}

    /** Runs Maven in the project with the given arguments; fails the test after {@code minutes}. */
    Run mvn(int minutes, String... args) throws IOException, InterruptedException {
        return run(minutes, mvnCommand(args));
    }

    /** The Maven command line {@link #mvn} runs, for wrapping it in another command. */
    List<String> mvnCommand(String... args) {
        List<String> cmd = new ArrayList<>();
        String home = System.getProperty("netlib.mavenHome");
        cmd.add(home != null && Files.isExecutable(Path.of(home, "bin/mvn")) ? home + "/bin/mvn" : "mvn");
        cmd.add("-B");
        cmd.add("-ntp");
        if (System.getProperty("netlib.offline", "").endsWith("true")) { // "offline=true": a bare boolean breaks surefire
            cmd.add("-o");
        }
        cmd.add("-Dmaven.repo.local=" + repo);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs a command in the project directory, output and errors together. */
    Run run(int minutes, List<String> cmd) throws IOException, InterruptedException {
        Path log = dir.resolve("run-" + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
                throw new AssertionError(String.join(" ", cmd) + " did not finish in " + minutes + " min:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** Deletes the project and its repository (the links only, never what they point to). */
    @Override
    public void close() {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
