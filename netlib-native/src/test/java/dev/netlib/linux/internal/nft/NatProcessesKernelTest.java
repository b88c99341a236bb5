package dev.netlib.linux.internal.nft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.linux.testing.ThrowawayNetns;
import dev.netlib.nat.NatRule;
import dev.netlib.spi.nft.FirewallRule;
import dev.netlib.spi.nft.RuleKeys;
import dev.netlib.testjvm.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two and three separate JVMs share one host's table: each publishes, unpublishes, adds and removes
 * masquerade, hairpin and isolation rules through the public Nat API at the same time ({@link
 * NatWorker}). At the end the kernel's table, read with {@code nft -j list ruleset}, holds exactly the
 * union of what the processes still own, every rule complete, and no process had a batch refused for a moved
 * generation (they exclude each other through {@link NftLock}); a further process reads it all back and
 * removes it, and the table goes.
 */
class NatProcessesKernelTest {
    private static final Pattern COMMENT = Pattern.compile("\"comment\": \"(netlib [^\"]*)\"");

    @ParameterizedTest(name = "{0} processes")
    @ValueSource(ints = {2, 3})
    void theTableHoldsExactlyTheUnionOfWhatTheProcessesOwn(int processes) throws Exception {
        ThrowawayNetns.assumeRoot();
        Path start = ChildJvm.newStartFlag("nlf-start");
        List<Process> workers = new ArrayList<>();
        long inode = -1;
        try (ThrowawayNetns host = ThrowawayNetns.create("nlf", "procs").loopbackUp()) {
            inode = host.call(ThrowawayNetns::threadInode);
            host.ip("link", "add", "nlfbr0", "type", "bridge");
            host.ip("addr", "add", "172.30.0.1/24", "dev", "nlfbr0");
            host.ip("link", "set", "nlfbr0", "up");
            for (int i = 0; i < processes; i++) {
                workers.add(ChildJvm.builder(List.of("-D" + NftLock.DIR_PROPERTY + "=" + NftLock.directory()), NatWorker.class,
                        host.name(), Integer.toString(i), "40", start.toString()).redirectErrorStream(true).start());
            }
            Files.createFile(start);
            Set<String> owned = new HashSet<>();
            for (Process p : workers) {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(out).isZero();
                out.lines().filter(l -> l.startsWith("OWNED ")).forEach(l -> owned.add(l.substring(6)));
                // netlib processes hold the namespace's NftLock from read to send: none moves the
                // generation under another, so no batch is ever refused and retried
                assertThat(out.lines().filter(l -> l.startsWith("RETRIES "))).as(out).containsExactly("RETRIES 0");
            }
            assertThat(owned).isNotEmpty();
            // every element and keyed rule of netlib's table, by comment, as nft sees them
            Map<String, Integer> seen = new HashMap<>();
            Matcher m = COMMENT.matcher(host.exec("nft", "-j", "list", "ruleset"));
            while (m.find()) {
                seen.merge(m.group(1), 1, Integer::sum);
            }
            // each rule's own elements and kernel rules carry its key, and nothing else is there
            Map<String, Integer> expected = new HashMap<>();
            for (String key : owned) {
                FirewallRule r = RuleKeys.parse(key);
                expected.put(key, r.elements().size() + r.expand().size());
            }
            assertThat(seen).isEqualTo(expected);
            // a further process reads every rule back and removes them all: the table goes
            try (Netlib root = Netlib.open(); Namespace ns = root.namespaces().open(host.name())) {
                var nat = root.in(ns).nat();
                List<NatRule> all = nat.list();
                assertThat(all).extracting(r -> RuleKeys.key(r.spec())).containsExactlyInAnyOrderElementsOf(owned);
                nat.remove(all.toArray(NatRule[]::new));
            }
            assertThat(host.exec("nft", "list", "tables")).doesNotContain("netlib");
        } finally {
            for (Process p : workers) {
                p.destroyForcibly();
            }
            try {
                Files.deleteIfExists(start);
                if (inode >= 0) {
                    NftLockKernelTest.deleteTestLockFile(inode); // the namespace is gone
                }
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
