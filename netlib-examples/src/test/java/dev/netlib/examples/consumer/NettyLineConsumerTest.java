package dev.netlib.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What an application that depends on netlib-etcd gets for Netty, built as a separate Maven
 * project against this build's jars ({@link ConsumerProject}). jetcd 0.8.6 asks for Netty 4.1
 * (through grpc-netty) and 4.2 (through vert.x 5) at once; netlib-etcd's POM settles that on one
 * 4.2 line. Each case prints the Netty jars on the consumer's class path and what a first etcd call
 * does (to a port where nothing listens: the call must fail as a store error, not with a missing
 * Netty class).
 */
class NettyLineConsumerTest {
    private static final String NETTY = System.getProperty("netlib.nettyVersion", "4.2.18.Final");
    /** The other line: Netty 4.1, as an application BOM (Spring Boot 3.x, say) pins it. */
    private static final String NETTY_41 = "4.1.135.Final";

    private static final String PROBE = """
            import java.time.Duration;
            import java.util.TreeMap;

            public class Probe {
                public static void main(String[] args) {
                    TreeMap<String, String> netty = new TreeMap<>();
                    io.netty.util.Version.identify().forEach((k, v) -> netty.put(k, v.artifactVersion()));
                    netty.forEach((k, v) -> System.out.println("netty " + k + " " + v));
                    try (var store = dev.netlib.ipam.etcd.EtcdIpamStore.builder()
                            .endpoints("http://127.0.0.1:" + args[0]).timeout(Duration.ofSeconds(2)).build()) {
                        store.get("probe");
                        System.out.println("call: answered");
                    } catch (Throwable t) {
                        Throwable root = t;
                        while (root.getCause() != null) {
                            root = root.getCause();
                        }
                        System.out.println("call: " + t.getClass().getName() + " / " + root);
                    }
                }
            }
            """;

    private static String pom(String management) {
        return """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>consumer</artifactId>
                  <version>1</version>
                  <dependencyManagement><dependencies>%s</dependencies></dependencyManagement>
                  <dependencies>
                    <dependency>
                      <groupId>dev.netlib</groupId>
                      <artifactId>netlib-etcd</artifactId>
                      <version>%s</version>
                    </dependency>
                  </dependencies>
                </project>
                """.formatted(management, System.getProperty("netlib.version", "0.1.0-SNAPSHOT"));
    }

    private static String bomImport(String group, String artifact, String version) {
        return "<dependency><groupId>" + group + "</groupId><artifactId>" + artifact + "</artifactId><version>" + version
                + "</version><type>pom</type><scope>import</scope></dependency>";
    }

    /** The Netty artifacts and versions on the consumer's class path, and the probe's call line. */
    private record Outcome(Map<String, String> netty, String call) {}

    private static Outcome consume(String tag, String management) throws Exception {
        try (ConsumerProject p = ConsumerProject.create(tag)) {
            p.write("pom.xml", pom(management)).write("Probe.java", PROBE);
            ConsumerProject.Run deps = p.mvn(5, "-q", "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath",
                    "-Dmdep.outputFile=cp.txt");
            assertThat(deps.exitCode()).as(deps.output()).isZero();
            String cp = Files.readString(p.dir.resolve("cp.txt")).trim();
            String java = ProcessHandle.current().info().command().orElse("java");
            // vert.x's cache directory in the project, which goes with it: where the Netty lines do
            // not fit, the client fails half-built, is never closed, and left /tmp/vertx-cache-UUID behind
            List<String> cmd = new ArrayList<>(List.of(java, "-XX:-UsePerfData", "-Dvertx.cacheDirBase=" + p.dir.resolve("vertx-cache"),
                    "-cp", cp, "Probe.java", Integer.toString(closedPort())));
            ConsumerProject.Run run = p.run(2, cmd);
            assertThat(run.exitCode()).as(run.output()).isZero();
            Map<String, String> netty = new TreeMap<>();
            String call = null;
            for (String line : run.output().split("\n")) {
                if (line.startsWith("netty ")) {
                    String[] f = line.split(" ");
                    netty.put(f[1], f[2]);
                } else if (line.startsWith("call: ")) {
                    call = line.substring(6);
                }
            }
            assertThat(call).as(run.output()).isNotNull();
            return new Outcome(netty, call);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aPlainDependencyGetsOneNettyLine() throws Exception {
        Outcome o = consume("plain", "");
        assertThat(o.netty()).containsKeys("netty-common", "netty-codec-http2", "netty-transport");
        assertThat(o.netty().values()).as(o.netty().toString()).containsOnly(NETTY);
        assertThat(o.call()).as("the call fails as a store error, not a linkage error")
                .doesNotContain("NoClassDefFoundError").doesNotContain("NoSuchMethodError").contains("dev.netlib");
    }

    /**
     * An application whose own BOM pins Netty 4.1 gets 4.1 for every module that line has, and
     * netlib-etcd cannot work: this is the failure the README's netlib-etcd section describes.
     */
    @Test
    void pinningNetty41BreaksTheEtcdStore() throws Exception {
        Outcome o = consume("netty41", bomImport("io.netty", "netty-bom", NETTY_41));
        assertThat(o.netty()).containsEntry("netty-common", NETTY_41).containsEntry("netty-transport", NETTY_41);
        assertThat(o.call()).contains("NoClassDefFoundError").contains("MultiThreadIoEventLoopGroup");
    }

    /** The remedy the README gives: import netlib-bom ahead of the BOM that pins Netty 4.1. */
    @Test
    void importingNetlibBomFirstKeepsNetty42() throws Exception {
        String version = System.getProperty("netlib.version", "0.1.0-SNAPSHOT");
        Outcome o = consume("bom", bomImport("dev.netlib", "netlib-bom", version) + bomImport("io.netty", "netty-bom", NETTY_41));
        assertThat(o.netty().values()).as(o.netty().toString()).containsOnly(NETTY);
        assertThat(o.call()).doesNotContain("NoClassDefFoundError").contains("dev.netlib");
    }
}
