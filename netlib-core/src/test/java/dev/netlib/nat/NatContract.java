package dev.netlib.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Netlib;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.NotFoundException;
import dev.netlib.spi.nft.DnatRule;
import dev.netlib.value.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The NAT contract every backend keeps (run on the fake in netlib-core and on the kernel in
 * netlib-native). The handle's namespace must have 172.30.0.1/24 on a bridge nlfbr0, no netlib
 * rules, and net.ipv4.ip_forward=0.
 */
public abstract class NatContract {

    /** A handle on the prepared namespace. */
    protected abstract Netlib host();

    @Test
    void addedRulesAreListedAndForwardingIsSwitchedOn() {
        NatRule masq = NatRule.masquerade().source("172.30.0.0/24").notOutInterface("nlfbr0").build();
        List<NatRule> added = host().nat().add(masq, NatRule.publish("8080:80", "172.30.0.2"));
        assertThat(((DnatRule) added.get(1).spec()).hairpinNetwork()).isEqualTo(IpPrefix.parseSubnet("172.30.0.0/24"));
        assertThat(host().nat().list()).containsExactlyElementsOf(added);
        assertThat(host().sysctls().get("net.ipv4.ip_forward")).isEqualTo("1");
        host().nat().remove(added.toArray(NatRule[]::new));
        assertThat(host().nat().list()).isEmpty();
    }

    @Test
    void aDuplicateRuleFailsWithEexistAndChangesNothing() {
        NatRule iso = NatRule.isolate("nlfbr0", "nlfbr9");
        host().nat().add(iso);
        assertThatThrownBy(() -> host().nat().add(NatRule.noIcc("nlfbr0"), NatRule.isolate("nlfbr9", "nlfbr0")))
                .isInstanceOf(AlreadyExistsException.class);
        assertThat(host().nat().list()).containsExactly(iso);
        host().nat().remove(iso);
    }

    @Test
    void aClaimedPortOrAForeignTargetIsBadInputBeforeTheKernel() {
        host().nat().add(NatRule.publish("8080:80", "172.30.0.2"), NatRule.publish("8080:80/udp", "172.30.0.2"));
        assertThatThrownBy(() -> host().nat().add(NatRule.publish("8080:81", "172.30.0.3"))).isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> host().nat().add(NatRule.publish("7070:70", "192.0.2.1")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("outside every network");
        assertThat(host().nat().list()).hasSize(2);
        host().nat().remove(NatRule.publish("8080:80", "172.30.0.2"), NatRule.publish("8080:80/udp", "172.30.0.2"));
        assertThat(host().nat().list()).isEmpty();
    }

    @Test
    void removingAMissingRuleFailsWithEnoent() {
        assertThatThrownBy(() -> host().nat().remove(NatRule.noIcc("nlfbr0"))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aReplaceIsOneAtomicCall() {
        NatRule a = NatRule.publish("8080:80", "172.30.0.2");
        NatRule b = NatRule.publish("9090:80", "172.30.0.2");
        host().nat().add(a);
        host().nat().apply(List.of(b), List.of(a));
        assertThat(host().nat().list()).extracting(NatRule::toString).containsExactly(b.toString());
        host().nat().remove(b);
    }
}
