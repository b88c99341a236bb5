package dev.netlib.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An application's test suite with one test-scoped dependency, netlib-test, built as a separate
 * Maven project against this build's jars ({@link ConsumerProject}): one test on FakeKernel and one
 * on the real kernel. Run as it is (as root both run), and again with CAP_NET_ADMIN and
 * CAP_SYS_ADMIN dropped from the bounding set, where the real-kernel test is skipped with the reason.
 */
class TestKitConsumerTest {
    private static final String POM = """
            <project xmlns="http://maven.apache.org/POM/4.0.0">
              <modelVersion>4.0.0</modelVersion>
              <groupId>example</groupId>
              <artifactId>app</artifactId>
              <version>1</version>
              <properties>
                <maven.compiler.release>17</maven.compiler.release>
                <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
              </properties>
              <dependencies>
                <dependency>
                  <groupId>dev.netlib</groupId>
                  <artifactId>netlib-test</artifactId>
                  <version>%s</version>
                  <scope>test</scope>
                </dependency>
              </dependencies>
              <build>
                <plugins>
                  <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                  <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
                  <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.5.2</version></plugin>
                </plugins>
              </build>
            </project>
            """;

    private static final String TEST = """
            package example;

            import static org.assertj.core.api.Assertions.assertThat;

            import dev.netlib.Netlib;
            import dev.netlib.test.NetlibTest;
            import dev.netlib.test.RealKernel;
            import org.junit.jupiter.api.Test;

            @NetlibTest
            class AppTest {
                @Test
                void onFakeKernel(Netlib host) {
                    host.bridge("br0").up().create().addAddress("10.1.0.1/24");
                    assertThat(host.backend().name()).isEqualTo("fake");
                    host.link("br0").delete();
                }

                @Test
                @RealKernel
                void onTheRealKernel(Netlib host) {
                    host.bridge("nlc-br0").up().create().addAddress("10.1.0.1/24");
                    assertThat(host.backend().name()).isEqualTo("linux");
                    assertThat(host.namespace().name()).get().asString().startsWith("nlsb-");
                    host.link("nlc-br0").delete();
                }
            }
            """;

    @Test
    void oneTestScopedDependencyRunsAFakeAndARealKernelTest() throws Exception {
        try (ConsumerProject p = ConsumerProject.create("testkit")) {
            p.write("pom.xml", POM.formatted(p.version)).write("src/test/java/example/AppTest.java", TEST);
            ConsumerProject.Run run = p.mvn(5, "test");
            assertThat(run.exitCode()).as(run.output()).isZero();
            String report = Files.readString(p.dir.resolve("target/surefire-reports/TEST-example.AppTest.xml"));
            assertThat(report).contains("tests=\"2\"").contains("failures=\"0\"").contains("errors=\"0\"");
            boolean privileged = dev.netlib.test.Privileges.canUseRealKernel();
            assertThat(report).as("the real-kernel test ran").contains(privileged ? "skipped=\"0\"" : "skipped=\"1\"");

            if (privileged && Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
                List<String> dropped = new ArrayList<>(List.of("/usr/bin/setpriv", "--bounding-set=-net_admin,-sys_admin"));
                dropped.addAll(p.mvnCommand("test"));
                ConsumerProject.Run unprivileged = p.run(5, dropped);
                assertThat(unprivileged.exitCode()).as(unprivileged.output()).isZero();
                String again = Files.readString(p.dir.resolve("target/surefire-reports/TEST-example.AppTest.xml"));
                assertThat(again).contains("tests=\"2\"").contains("skipped=\"1\"").contains("failures=\"0\"")
                        .contains("@RealKernel test skipped: needs CAP_NET_ADMIN and CAP_SYS_ADMIN");
            }
        }
    }
}
