package dev.netlib.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.InvalidConfigException;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MacAddressTest {
    @Test
    void parsesAndFormats() {
        assertThat(MacAddress.parse("02:42:AC:11:00:02").toString()).isEqualTo("02:42:ac:11:00:02");
        assertThat(MacAddress.parse("02-42-ac-11-00-02")).isEqualTo(MacAddress.parse("02:42:ac:11:00:02"));
    }

    @Test
    void dockerDerivationFromIpv4() {
        assertThat(MacAddress.fromIpv4(IpAddresses.parse("172.17.0.2")).toString()).isEqualTo("02:42:ac:11:00:02");
        assertThatThrownBy(() -> MacAddress.fromIpv4(IpAddresses.parse("fd00::2"))).isInstanceOf(InvalidConfigException.class);
    }

    @RepeatedTest(20)
    void randomIsLocallyAdministeredUnicast() {
        MacAddress m = MacAddress.randomLocal();
        assertThat(m.isLocallyAdministered()).isTrue();
        assertThat(m.isMulticast()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "02:42:ac:11:00", "02:42:ac:11:00:02:03", "0g:42:ac:11:00:02", "2:42:ac:11:00:02", "02:42:ac:11:00:002"})
    void rejectsBadInput(String text) {
        assertThatThrownBy(() -> MacAddress.parse(text)).isInstanceOf(InvalidConfigException.class).hasMessageContaining("six hex pairs");
    }
}
