package dev.netlib.linux.nft;

import dev.netlib.linux.testing.ThrowawayNetns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.nat.NatContract;
import dev.netlib.nat.NatRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The NAT contract on the real kernel: Netlib.nat() through LinuxBackend (found by Netlib.open())
 * in a throwaway namespace with bridge nlfbr0 172.30.0.1/24; after each case the namespace's
 * ruleset holds no netlib table.
 */
class LinuxNatContractTest extends NatContract {
    private ThrowawayNetns ns;
    private Netlib root;
    private Namespace borrowed;
    private Netlib host;

    @BeforeEach
    void setUp() {
        ThrowawayNetns.assumeRoot();
        ns = ThrowawayNetns.create("nlf", "contract").loopbackUp();
        ns.ip("link", "add", "nlfbr0", "type", "bridge");
        ns.ip("addr", "add", "172.30.0.1/24", "dev", "nlfbr0");
        ns.ip("link", "set", "nlfbr0", "up");
        root = Netlib.open();
        borrowed = root.namespaces().open(ns.name());
        host = root.in(borrowed);
    }

    @AfterEach
    void tearDown() {
        try {
            if (ns != null) {
                assertThat(ns.exec("nft", "list", "tables")).as("no netlib table left").doesNotContain("netlib");
            }
        } finally {
            if (borrowed != null) {
                borrowed.close(); // borrowed: releases the ref, deletes nothing
            }
            if (root != null) {
                root.close();
            }
            if (ns != null) {
                ns.close();
            }
        }
    }

    @Override
    protected Netlib host() {
        return host;
    }

    @Test
    void theKernelRulesAreWhatTheDryRunSaid() {
        NatRule p = NatRule.publish("8080:80", "172.30.0.2");
        java.util.List<String> said = host.nat().apply(java.util.List.of(p), java.util.List.of()).commands();
        String listing = ns.exec("nft", "list", "table", "ip", "netlib");
        for (String c : said) {
            if (c.startsWith("nft add rule ip netlib ")) {
                String text = c.substring("nft add rule ip netlib ".length());
                assertThat(listing).contains(text.substring(text.indexOf(' ') + 1));
            }
        }
        host.nat().remove(p);
    }
}
