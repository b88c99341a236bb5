package dev.netlib.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.examples.QuickStart;
import dev.netlib.ipam.FileIpamStore;
import dev.netlib.ipam.IpamStore;
import dev.netlib.network.Endpoint;
import dev.netlib.network.Networks;
import dev.netlib.test.RealKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java snippet of the README is code that compiles: each {@code ```java} block must be, line
 * for line (indentation aside), a region between {@code // NAME:begin} and {@code // NAME:end} of a
 * source file of netlib-examples. The snippets that change the kernel run here too, in netlib-test's
 * throwaway namespace, whose leak check proves they leave nothing behind.
 */
class ReadmeSnippetsTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** The {@code ```java} blocks of the README, each as its lines. */
    static List<List<String>> readmeJavaBlocks() throws IOException {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : Files.readAllLines(ROOT.resolve("README.md"))) {
            if (current == null && line.trim().equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && line.trim().equals("```")) {
                blocks.add(current);
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    /** Every marked region of the examples' sources, dedented. */
    static List<List<String>> markedRegions() throws IOException {
        List<List<String>> regions = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("netlib-examples/src"))) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String t = lines.get(i).trim();
                    if (t.matches("// [a-z]+:begin")) {
                        String end = t.replace(":begin", ":end");
                        int j = i + 1;
                        while (j < lines.size() && !lines.get(j).trim().equals(end)) {
                            j++;
                        }
                        regions.add(dedent(lines.subList(i + 1, j)));
                    }
                }
            }
        }
        return regions;
    }

    static List<String> dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.length() >= indent ? l.substring(indent) : l.strip()).toList();
    }

    @Test
    void everyJavaSnippetOfTheReadmeIsCompiledCode() throws IOException {
        List<List<String>> blocks = readmeJavaBlocks();
        assertThat(blocks).as("the README's java blocks").hasSizeGreaterThanOrEqualTo(3);
        List<List<String>> regions = markedRegions();
        for (List<String> block : blocks) {
            assertThat(regions).as("a source region identical to the README block starting with: " + block.get(0))
                    .contains(dedent(block));
        }
    }

    @Test
    @RealKernel
    void theNetworksSnippetCleansUpAndClosesItsStore(Netlib host, @TempDir Path stateDir, @TempDir Path etcNetns)
            throws IOException {
        // networks:begin
        try (IpamStore store = FileIpamStore.open(stateDir);
             Namespace box5 = host.namespaces().create("box5")) {
            Networks networks = Networks.builder(host).store(store).etcNetns(etcNetns).open();
            networks.create("my_net2").subnet("172.20.18.0/24").create();      // docker network create
            Endpoint e = networks.endpoint("my_net2", box5).ip("172.20.18.6").publish("8080:80").connect();
            networks.connect("bridge", box5);                                  // eth1 on the default network
            System.out.println(e.address() + " " + networks.inspect("my_net2").render()); // docker network inspect
            networks.deleteContainer("box5", box5);                            // disconnect it everywhere, delete box5
            networks.remove("my_net2");                                        // docker network rm my_net2
            networks.remove("bridge");                                         // and the default network, docker0
        }
        // networks:end
        // The kit's leak check covers the kernel (links, nft rules, the box5 namespace); the store
        // must hold no live record: no definition, lease, endpoint or pending note. (FileIpamStore
        // keeps a deleted key's last version in a tombstone file, so versions never repeat; the
        // subnet allocator keeps its table record, which must be empty: no subnet leased.)
        try (IpamStore reopened = FileIpamStore.open(stateDir)) {
            assertThat(reopened.list("")).as("records left in the store")
                    .allSatisfy((key, v) -> assertThat(key + " " + v.value().strip()).isEqualTo("ipam/subnets netlib-ipam-subnets 1"));
        }
        try (Stream<Path> left = Files.walk(etcNetns)) {
            assertThat(left.filter(Files::isRegularFile).toList()).as("hosts files left").isEmpty();
        }
    }

    @Test
    @RealKernel
    void theQuickStartRunsInsideTheSandbox(Netlib host) {
        // Netlib.open() binds to the namespace of the thread that calls it: run on one of netlib's
        // threads inside the sandbox, the quick start's nl-br0 never touches the machine's network.
        host.run(() -> {
            QuickStart.main(new String[0]);
            return null;
        });
        // nl-veth1 goes a moment later, with its peer, when the kernel finishes destroying nl-ns1:
        // the kit's leak check waits for that before it names what is left.
        assertThat(host.namespaces().list()).doesNotContain("nl-ns1");
    }
}
