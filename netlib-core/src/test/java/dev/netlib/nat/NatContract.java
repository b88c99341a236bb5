package dev.netlib.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Netlib;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.NotFoundException;
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
        NatRule port = NatRule.publish("8080:80", "172.30.0.2");
        NatRule hairpin = NatRule.hairpin("nlfbr0", "172.30.0.0/24");
        List<NatRule> added = host().nat().add(masq, port, hairpin);
        assertThat(added).containsExactly(masq, port, hairpin);
        // keyed rules first, then the element rules by key (dnat before hairpin)
        assertThat(host().nat().list()).containsExactly(masq, port, hairpin);
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
    void aPortIsRefusedWhereverAnInstalledPortHoldsIt() {
        Nat nat = host().nat();
        NatRule onAddress = NatRule.publish("172.30.0.1:8080:80", "172.30.0.2");
        NatRule range = NatRule.publish("9000-9009:9000-9009", "172.30.0.3");
        nat.add(onAddress, range);
        // every address over one address's port, one address's port over every address, ports in a range
        assertThatThrownBy(() -> nat.add(NatRule.publish("8080:80", "172.30.0.3"))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("already published by publish 172.30.0.1:8080");
        assertThatThrownBy(() -> nat.add(NatRule.publish("172.30.0.1:9005:80", "172.30.0.2"))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("already published by publish 9000-9009");
        assertThatThrownBy(() -> nat.add(NatRule.publish("8990-9000:80-90", "172.30.0.2"))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("already published by publish 9000-9009");
        // another protocol, the ports around the range, the same port in the same call as a removal of its holder
        NatRule udp = NatRule.publish("8080:80/udp", "172.30.0.2");
        NatRule below = NatRule.publish("8999:80", "172.30.0.2");
        NatRule above = NatRule.publish("9010:80", "172.30.0.2");
        NatRule moved = NatRule.publish("8080:81", "172.30.0.3");
        nat.add(udp, below, above);
        nat.apply(List.of(moved), List.of(onAddress));
        assertThat(nat.list()).containsExactlyInAnyOrder(range, udp, below, above, moved);
        nat.remove(range, udp, below, above, moved);
        assertThat(nat.list()).isEmpty();
    }

    @Test
    void removingAMissingRuleFailsWithEnoent() {
        assertThatThrownBy(() -> host().nat().remove(NatRule.noIcc("nlfbr0"))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void holdingFindsTheRulesInTheGivenPlacesOnly() {
        NatRule masq = NatRule.masquerade().source("172.30.0.0/24").notOutInterface("nlfbr0").build();
        NatRule iso = NatRule.isolate("nlfbr0", "nlfbr9");
        assertThat(host().nat().holding(List.of(masq, NatRule.publish("8080:80", "172.30.0.2")))).as("no table").isEmpty();
        List<NatRule> added = host().nat().add(masq, iso, NatRule.publish("8080:80", "172.30.0.2"),
                NatRule.publish("8081-8082:90-91", "172.30.0.3"), NatRule.publish("172.30.0.1:9090:80", "172.30.0.2"));
        NatRule p8080 = added.get(2);
        NatRule range = added.get(3);
        NatRule onAddress = added.get(4);
        Nat nat = host().nat();
        // the place is the host side: the rule there is found whatever target the question names
        assertThat(nat.holding(List.of(NatRule.publish("8080:80", "172.30.0.2")))).containsExactly(p8080);
        assertThat(nat.holding(List.of(NatRule.publish("8080:81", "172.30.0.9")))).containsExactly(p8080);
        assertThat(nat.holding(List.of(NatRule.publish("8082:99", "172.30.0.3")))).containsExactly(range);
        assertThat(nat.holding(List.of(NatRule.publish("172.30.0.1:9090:80", "172.30.0.2")))).containsExactly(onAddress);
        assertThat(nat.holding(List.of(NatRule.publish("8080:80/udp", "172.30.0.2"), NatRule.publish("9090:80", "172.30.0.2"),
                NatRule.publish("8083:90", "172.30.0.3")))).as("other protocol, every address, next port").isEmpty();
        assertThat(nat.holding(List.of(masq, iso))).containsExactlyInAnyOrder(masq, iso);
        assertThat(nat.holding(List.of(NatRule.isolate("nlfbr9", "nlfbr0")))).as("isolation goes both ways: same places").containsExactly(iso);
        assertThat(nat.holding(List.of(NatRule.masquerade().source("172.30.1.0/24").notOutInterface("nlfbr0").build(),
                NatRule.isolate("nlfbr0", "nlfbr8"), NatRule.noIcc("nlfbr0")))).isEmpty();
        assertThat(nat.holding(List.of())).isEmpty();
        NatRule hairpin = nat.add(NatRule.hairpin("nlfbr0", "172.30.0.0/24")).get(0);
        assertThat(nat.holding(List.of(NatRule.hairpin("nlfbr0", "172.30.0.0/24")))).containsExactly(hairpin);
        assertThat(nat.holding(List.of(NatRule.hairpin("nlfbr9", "172.30.0.0/24"), NatRule.hairpin("nlfbr0", "172.30.1.0/24"))))
                .as("another bridge, another subnet").isEmpty();
        NatRule p9191 = nat.add(NatRule.publish("9191:80", "172.30.0.2")).get(0);
        nat.remove(p8080, hairpin);
        nat.remove(masq, iso, range, onAddress, p9191);
        assertThat(nat.holding(List.of(masq, p9191))).isEmpty();
    }

    @Test
    void aNetworksHairpinIsOneElementThatPublishingAndUnpublishingNeverTouch() {
        Nat nat = host().nat();
        String element = "nft add element ip netlib hairpin '{ \"nlfbr0\" . 172.30.0.0/24 comment \"netlib hairpin nlfbr0 172.30.0.0/24\" }'";
        NatRule hairpin = NatRule.hairpin("nlfbr0", "172.30.0.0/24");
        assertThat(nat.apply(List.of(hairpin), List.of()).commands()).endsWith(element);
        NatRule a = NatRule.publish("8080:80", "172.30.0.2");
        NatRule b = NatRule.publish("8081:80", "172.30.0.2");
        List<String> published = nat.apply(List.of(a, b), List.of()).commands();
        List<String> unpublished = nat.apply(List.of(), List.of(a)).commands();
        assertThat(published).hasSize(2).noneMatch(c -> c.contains(" hairpin "));
        assertThat(unpublished).containsExactly("nft delete element ip netlib published '{ tcp . 8080 }'");
        assertThatThrownBy(() -> nat.add(NatRule.hairpin("nlfbr0", "172.30.0.0/24"))).isInstanceOf(AlreadyExistsException.class);
        assertThat(nat.list()).containsExactly(b, hairpin);
        // the network's hairpin goes with the network, whatever is still published
        assertThat(nat.apply(List.of(), List.of(hairpin)).commands())
                .containsExactly("nft delete element ip netlib hairpin '{ \"nlfbr0\" . 172.30.0.0/24 }'");
        assertThat(nat.list()).containsExactly(b);
        nat.remove(b);
        assertThat(nat.list()).isEmpty();
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
