package dev.netlib.linux.internal.nft;

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

    /**
     * The commands a change returns (and logs) are valid shell and valid nft: run through {@code sh
     * -c} in another namespace they build the same table, and the removal's commands remove it.
     */
    @Test
    void theCommandsRunInAShellMakeTheSameTable() {
        NatRule p = NatRule.publish("8080:80", "172.30.0.2");
        NatRule i = NatRule.isolate("nlfbr0", "nlfbr1");
        NatRule m = NatRule.masquerade().source("172.30.0.0/24").notOutInterface("nlfbr0").build();
        try (ThrowawayNetns shell = ThrowawayNetns.create("nlf", "sh")) {
            java.util.List<String> said = host.nat().apply(java.util.List.of(p, i, m), java.util.List.of()).commands();
            said.forEach(c -> shell.exec("sh", "-c", c));
            assertThat(shell.exec("nft", "list", "table", "ip", "netlib")).isEqualTo(ns.exec("nft", "list", "table", "ip", "netlib"));
            java.util.List<String> removed = new java.util.ArrayList<>(host.nat().apply(java.util.List.of(), java.util.List.of(m)).commands());
            removed.addAll(host.nat().apply(java.util.List.of(), java.util.List.of(p, i)).commands());
            assertThat(removed).last().isEqualTo("nft delete table ip netlib");
            removed.forEach(c -> shell.exec("sh", "-c", c));
            assertThat(shell.exec("nft", "list", "tables")).doesNotContain("netlib");
        }
    }
}
