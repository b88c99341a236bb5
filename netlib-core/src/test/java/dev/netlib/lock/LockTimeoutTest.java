package dev.netlib.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.InvalidConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link LockTimeout}: the durations a setting may hold, a clear refusal of others, and the default. */
class LockTimeoutTest {
    private static final String PROPERTY = "dev.netlib.test.locktimeout";
    private static final String ENV = "NETLIB_TEST_LOCKTIMEOUT_NEVER_SET";

    @Test
    void aSettingIsSecondsOrANumberWithSOrMs() {
        assertThat(LockTimeout.parse("60", "x")).isEqualTo(Duration.ofSeconds(60));
        assertThat(LockTimeout.parse(" 2.5 ", "x")).isEqualTo(Duration.ofMillis(2500));
        assertThat(LockTimeout.parse("500ms", "x")).isEqualTo(Duration.ofMillis(500));
        assertThat(LockTimeout.parse("3 s", "x")).isEqualTo(Duration.ofSeconds(3));
        assertThat(LockTimeout.parse("0", "x")).isZero();
    }

    @Test
    void anythingElseIsRefusedNamingTheSetting() {
        for (String bad : new String[] {"abc", "-1", "1m", "", "1e400"}) {
            assertThatThrownBy(() -> LockTimeout.parse(bad, "system property foo")).as(bad).isInstanceOf(InvalidConfigException.class)
                    .hasMessageContaining("system property foo").hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> new LockTimeout(Duration.ofSeconds(-1), "x")).isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void thePropertyWinsAndTheDefaultIsAMinute() {
        System.setProperty(PROPERTY, "750ms");
        try {
            LockTimeout t = LockTimeout.fromSettings(PROPERTY, ENV);
            assertThat(t.duration()).isEqualTo(Duration.ofMillis(750));
            assertThat(t.setting()).contains("-D" + PROPERTY + "=", ENV);
            System.setProperty(PROPERTY, "soon");
            assertThatThrownBy(() -> LockTimeout.fromSettings(PROPERTY, ENV)).isInstanceOf(InvalidConfigException.class)
                    .hasMessageContaining(PROPERTY);
        } finally {
            System.clearProperty(PROPERTY);
        }
        assertThat(LockTimeout.fromSettings(PROPERTY, ENV).duration()).isEqualTo(Duration.ofSeconds(60)).isEqualTo(LockTimeout.DEFAULT_DURATION);
    }
}
