package dev.netlib.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.InvalidConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"eth0", "lxcbr0.1", "veth-ns1", "a", "abcdefghijklmno"})
    void acceptsKernelInterfaceNames(String name) {
        assertThat(InterfaceName.validate(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "abcdefghijklmnop", "a/b", "a:b", "a b", "a\tb", "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"})
    void rejectsBadInterfaceNames(String name) {
        assertThatThrownBy(() -> InterfaceName.validate(name)).isInstanceOf(InvalidConfigException.class).hasMessageContaining("allowed");
    }

    @Test
    void interfaceNameNullIsRejected() {
        assertThatThrownBy(() -> InterfaceName.validate(null)).isInstanceOf(InvalidConfigException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ns1", "box-1", "a.b", "..a"})
    void acceptsNamespaceNames(String name) {
        assertThat(NamespaceName.validate(name)).isEqualTo(name);
    }

    @Test
    void acceptsNamespaceNameOfMaximumLength() {
        assertThat(NamespaceName.validate("x".repeat(255))).hasSize(255);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../etc", "a/b", "/abs", "a\0b"})
    void rejectsNamespaceNamesThatCouldEscape(String name) {
        assertThatThrownBy(() -> NamespaceName.validate(name)).isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void rejectsOverlongNamespaceName() {
        assertThatThrownBy(() -> NamespaceName.validate("x".repeat(256))).isInstanceOf(InvalidConfigException.class).hasMessageContaining("255");
    }
}
