package dev.netlib.linux.internal.nft;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.nat.NatRule;
import dev.netlib.spi.nft.RuleKeys;
import dev.netlib.testjvm.ChildJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One process of {@link NatProcessesKernelTest}: in the named namespace, through the public Nat
 * API, it publishes and unpublishes ports, adds and removes masquerade, hairpin and isolation rules
 * at random, all its own (host ports, subnets and bridge names derived from its id), while other
 * processes do the same, every one publishing to the same target address and a few target ports. It
 * waits for the start file so all run at once, and prints the keys of the rules it
 * still owns at the end ("OWNED key") and how many of its batches were refused for a moved
 * generation and planned again ("RETRIES n").
 *
 * <p>usage: NatWorker NAMESPACE ID OPERATIONS STARTFILE
 */
public final class NatWorker {
    private NatWorker() {}

    public static void main(String[] args) throws Exception {
        String ns = args[0];
        int id = Integer.parseInt(args[1]);
        int operations = Integer.parseInt(args[2]);
        Path start = Path.of(args[3]);
        ChildJvm.awaitStartFlag(start);
        Random random = new Random(id * 7919L + System.nanoTime());
        List<NatRule> owned = new ArrayList<>();
        int next = 0;
        try (Netlib root = Netlib.open(); Namespace host = root.namespaces().open(ns)) {
            var nat = root.in(host).nat();
            for (int i = 0; i < operations; i++) {
                int kind = random.nextInt(5);
                if (kind == 3 && !owned.isEmpty()) {
                    NatRule r = owned.remove(random.nextInt(owned.size()));
                    nat.remove(r);
                    continue;
                }
                NatRule r = switch (kind) {
                    case 0, 3 -> NatRule.publish((20000 + id * 1000 + next) + ":" + (80 + next % 4) + (next % 3 == 0 ? "/udp" : ""),
                            "172.30.0.10");
                    case 1 -> NatRule.masquerade().source("10." + (100 + id) + "." + next + ".0/24").notOutInterface("nlfbr0").build();
                    case 2 -> NatRule.isolate("nlp" + id + "a" + next, "nlp" + id + "b" + next);
                    default -> NatRule.hairpin("nlp" + id + "h" + next, "10." + (100 + id) + "." + next + ".0/24");
                };
                next++;
                owned.add(nat.add(r).get(0));
            }
        }
        for (NatRule r : owned) {
            System.out.println("OWNED " + RuleKeys.key(r.spec()));
        }
        // batches the kernel refused because another writer committed between this process's read and send
        System.out.println("RETRIES " + NftFirewall.generationRetries());
    }
}
