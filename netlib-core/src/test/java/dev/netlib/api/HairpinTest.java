package dev.netlib.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.KernelException;
import dev.netlib.fake.FakeHostFixture;
import dev.netlib.model.LinkAttributes;
import dev.netlib.spi.change.SetLink;
import org.junit.jupiter.api.Test;

/** The bridge port hairpin flag through the builder, on FakeKernel. */
class HairpinTest extends FakeHostFixture {
    @Test
    void aNewBridgePortGetsHairpinAndSaysSoAsIpCommands() {
        host.bridge("br0").up().create();
        var v = host.veth("vh0").master("br0").hairpin(true).up().peer("vh1");
        assertThat(v.command()).isEqualTo("ip link add name vh0 master br0 up type veth peer name vh1 && ip link set dev vh0 type bridge_slave hairpin on");
        v.create();
        assertThat(host.link("vh0").info().masterName()).isEqualTo("br0");
        assertThat(SetLink.of("vh0", LinkAttributes.NONE.withHairpin(false)).command()).isEqualTo("ip link set dev vh0 type bridge_slave hairpin off");
    }

    @Test
    void hairpinNeedsABridgeMaster() {
        assertThatThrownBy(() -> host.veth("vh2").hairpin(true).peer("vh3").create()).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("master");
        host.veth("vh4").peer("vh5").create();
        assertThatThrownBy(() -> host.backend().apply(host.namespace().ref(), java.util.List.of(SetLink.of("vh4", LinkAttributes.NONE.withHairpin(true)))))
                .isInstanceOf(KernelException.class).hasMessageContaining("EOPNOTSUPP");
    }
}
