package dev.netlib.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.value.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubnetPoolTest {
    private static IpPrefix p(String s) {
        return IpPrefix.parseSubnet(s);
    }

    @Test
    void dockerDefaultsAre172Then192168Blocks() {
        List<IpPrefix> c = SubnetPool.dockerDefaults().candidates(100);
        assertThat(c).hasSize(31);
        assertThat(c.get(0)).isEqualTo(p("172.17.0.0/16"));
        assertThat(c.get(14)).isEqualTo(p("172.31.0.0/16"));
        assertThat(c.get(15)).isEqualTo(p("192.168.0.0/20"));
        assertThat(c.get(16)).isEqualTo(p("192.168.16.0/20"));
        assertThat(c.get(30)).isEqualTo(p("192.168.240.0/20"));
    }

    @Test
    void nextSkipsEverythingInUse() {
        SubnetPool d = SubnetPool.dockerDefaults();
        assertThat(d.next(List.of())).contains(p("172.17.0.0/16"));
        // 172.16.0.0/12 covers every 172 candidate: the first free one is a 192.168 block.
        assertThat(d.next(List.of(p("172.16.0.0/12"), p("192.168.0.5/32")))).contains(p("192.168.16.0/20"));
        List<IpPrefix> all = new ArrayList<>(d.candidates(100));
        assertThat(d.next(all)).isEmpty();
        assertThatThrownBy(() -> d.nextFree(all)).isInstanceOf(PoolExhaustedException.class).hasMessageContaining("no free subnet");
        // IPv6 prefixes never clash with IPv4 candidates.
        assertThat(d.next(List.of(p("::/0")))).contains(p("172.17.0.0/16"));
    }

    @Test
    void largeIpv6BaseIsSearchedWithoutEnumeratingIt() {
        SubnetPool v6 = SubnetPool.of("fd00::/8", 64);
        assertThat(v6.next(List.of(p("fd00::/16"), p("fd01::/64")))).contains(p("fd01:0:0:1::/64"));
    }

    @Test
    void explicitSubnetOverlapIsReported() {
        Map<String, IpPrefix> existing = Map.of("net1", p("10.1.0.0/16"));
        SubnetPool.checkNoOverlap(p("10.2.0.0/16"), existing);
        assertThatThrownBy(() -> SubnetPool.checkNoOverlap(p("10.1.2.0/24"), existing)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("overlaps subnet 10.1.0.0/16 of 'net1'");
        assertThatThrownBy(() -> SubnetPool.of("10.0.0.0/16", 8)).isInstanceOf(InvalidConfigException.class);
    }
}
