package dev.netlib.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.InvalidConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Host ids name record directories and store keys: only names that stay inside them. */
class HostIdTest {
    @ParameterizedTest
    @ValueSource(strings = {".", "..", "", "a/b", "h 1"})
    void refusesNamesThatAreNoPlainDirectoryName(String bad) {
        assertThatThrownBy(() -> HostId.of(bad)).isInstanceOf(InvalidConfigException.class).hasMessageContaining("'" + bad + "'")
                .hasMessageContaining("not '.' or '..'");
    }

    @Test
    void takesDotsInsideAName() {
        assertThat(HostId.of("h1.example").value()).isEqualTo("h1.example");
        assertThat(HostId.of("...").value()).isEqualTo("...");
    }
}
