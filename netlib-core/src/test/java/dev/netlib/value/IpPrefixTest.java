package dev.netlib.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.InvalidConfigException;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixTest {

    @Test
    void parsesSubnetAndKeepsCanonicalForm() {
        IpPrefix p = IpPrefix.parseSubnet("172.20.18.0/24");
        assertThat(p.toString()).isEqualTo("172.20.18.0/24");
        assertThat(p.length()).isEqualTo(24);
        assertThat(p.isIpv4()).isTrue();
        assertThat(p.size()).isEqualTo(BigInteger.valueOf(256));
    }

    @Test
    void interfaceAddressMayHaveHostBitsButSubnetMayNot() {
        IpPrefix addr = IpPrefix.parse("172.20.18.5/24");
        assertThat(addr.isSubnet()).isFalse();
        assertThat(addr.network()).isEqualTo(IpPrefix.parseSubnet("172.20.18.0/24"));
        assertThatThrownBy(() -> IpPrefix.parseSubnet("172.20.18.5/24"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("not a subnet")
                .hasMessageContaining("172.20.18.0/24");
    }

    @Test
    void containsAndOverlaps() {
        IpPrefix p16 = IpPrefix.parseSubnet("172.17.0.0/16");
        assertThat(p16.contains(IpAddresses.parse("172.17.255.254"))).isTrue();
        assertThat(p16.contains(IpAddresses.parse("172.18.0.1"))).isFalse();
        assertThat(p16.contains(IpAddresses.parse("fd00::1"))).isFalse();
        assertThat(p16.contains(IpPrefix.parseSubnet("172.17.3.0/24"))).isTrue();
        assertThat(IpPrefix.parseSubnet("172.17.3.0/24").contains(p16)).isFalse();
        assertThat(p16.overlaps(IpPrefix.parseSubnet("172.17.3.0/24"))).isTrue();
        assertThat(IpPrefix.parseSubnet("172.17.3.0/24").overlaps(p16)).isTrue();
        assertThat(p16.overlaps(IpPrefix.parseSubnet("172.18.0.0/16"))).isFalse();
        assertThat(p16.overlaps(IpPrefix.parseSubnet("fd00::/8"))).isFalse();
    }

    @Test
    void nthHostFirstAndLastUsable() {
        IpPrefix p = IpPrefix.parseSubnet("172.17.0.0/16");
        assertThat(IpAddresses.format(p.nth(1))).isEqualTo("172.17.0.1");
        assertThat(IpAddresses.format(p.nth(258))).isEqualTo("172.17.1.2");
        assertThat(IpAddresses.format(p.firstUsable())).isEqualTo("172.17.0.1");
        assertThat(IpAddresses.format(p.lastUsable())).isEqualTo("172.17.255.254");
        assertThat(IpAddresses.format(p.broadcast())).isEqualTo("172.17.255.255");
        assertThat(p.indexOf(IpAddresses.parse("172.17.1.2"))).isEqualTo(BigInteger.valueOf(258));
        assertThatThrownBy(() -> p.nth(65536)).isInstanceOf(InvalidConfigException.class).hasMessageContaining("outside");
        IpPrefix p31 = IpPrefix.parseSubnet("10.0.0.0/31");
        assertThat(IpAddresses.format(p31.firstUsable())).isEqualTo("10.0.0.0");
        assertThat(IpAddresses.format(p31.lastUsable())).isEqualTo("10.0.0.1");
    }

    @Test
    void ipv6CanonicalFormAndLargePrefixes() {
        IpPrefix p = IpPrefix.parseSubnet("FD00:0:0:0::/64");
        assertThat(p.toString()).isEqualTo("fd00::/64");
        assertThat(p.size()).isEqualTo(BigInteger.ONE.shiftLeft(64));
        assertThat(IpAddresses.format(p.nth(BigInteger.ONE.shiftLeft(63)))).isEqualTo("fd00::8000:0:0:0");
        assertThat(IpAddresses.format(IpAddresses.parse("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpAddresses.format(IpAddresses.parse("::"))).isEqualTo("::");
        assertThat(IpAddresses.format(IpAddresses.parse("::1"))).isEqualTo("::1");
        assertThat(IpAddresses.format(IpAddresses.parse("1:0:1:0:1:0:1:0"))).isEqualTo("1:0:1:0:1:0:1:0");
        assertThat(IpAddresses.parse("::ffff:10.0.0.1").getAddress()).hasSize(16);
    }

    @Test
    void bareAddressIsHostPrefix() {
        assertThat(IpPrefix.parse("10.0.0.1").length()).isEqualTo(32);
        assertThat(IpPrefix.parse("fd00::1").length()).isEqualTo(128);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0/24", "256.0.0.0/8", "10.0.0.0/", "10.0.0.0/2x",
            "fd00::/129", "example.com/24", "010.0.0.0/8", "1.2.3.4.5", "fd00::g/64", "fe80::1%eth0/64",
            // digits that are not ASCII: Character.isDigit and Integer.parseInt take them
            "10.0.0.\u0661/32", "10.0.0.0/\u0662\u0664", "fd00::\uff11/64"})
    void rejectsBadInput(String text) {
        assertThatThrownBy(() -> IpPrefix.parse(text)).isInstanceOf(InvalidConfigException.class).hasMessageNotContaining("null");
    }

    @Test
    void orderingAndEquality() {
        assertThat(IpPrefix.parse("10.0.0.5/24")).isNotEqualTo(IpPrefix.parse("10.0.0.0/24"));
        assertThat(IpPrefix.parse("10.0.0.0/24")).isEqualTo(IpPrefix.parseSubnet("10.0.0.0/24"));
        assertThat(IpPrefix.parse("10.0.0.0/8").compareTo(IpPrefix.parse("10.0.0.0/16"))).isNegative();
        assertThat(IpPrefix.parse("9.0.0.0/8").compareTo(IpPrefix.parse("fd00::/8"))).isNegative();
    }
}
