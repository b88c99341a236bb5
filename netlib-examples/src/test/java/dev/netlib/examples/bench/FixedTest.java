package dev.netlib.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FixedTest {
    @Test
    void writesWhatFormatWritesForTheBenchmarksFigures() {
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 20_000; i++) {
            // the figures the benchmarks print: seconds and milliseconds, 0 to a few thousand
            double v = random.nextDouble() * Math.pow(10, random.nextInt(-4, 5));
            for (int decimals : new int[] {0, 1, 3, 4}) {
                String expected = String.format(Locale.ROOT, "%." + decimals + "f", v);
                // Formatter rounds the exact decimal expansion, Fixed the double's product with 10^d:
                // they may differ only where v sits within an ulp of a half.
                String actual = Fixed.of(v, decimals);
                if (!actual.equals(expected)) {
                    double half = (Math.floor(v * Math.pow(10, decimals)) + 0.5) / Math.pow(10, decimals);
                    assertThat(Math.abs(v - half)).as("%s with %d decimals: %s, Formatter %s", v, decimals, actual, expected)
                            .isLessThan(Math.ulp(v) * 4);
                }
            }
        }
    }

    @Test
    void padsTheFractionAndKeepsTheSign() {
        assertThat(Fixed.of(0.0221, 4)).isEqualTo("0.0221");
        assertThat(Fixed.of(1.05, 3)).isEqualTo("1.050");
        assertThat(Fixed.of(2.0004, 3)).isEqualTo("2.000");
        assertThat(Fixed.of(-1.25, 1)).isEqualTo("-1.3");
        assertThat(Fixed.of(-0.0001, 2)).isEqualTo("0.00");
        assertThat(Fixed.of(7, 0)).isEqualTo("7");
        assertThat(Fixed.of(1234.5678, 1)).isEqualTo("1234.6");
    }

    @Test
    void writesNonFiniteValuesAsFormatDoes() {
        // bench down 0 divides by N = 0: the line has always said Infinity
        assertThat(Fixed.of(Double.POSITIVE_INFINITY, 3)).isEqualTo(String.format(Locale.ROOT, "%.3f", Double.POSITIVE_INFINITY));
        assertThat(Fixed.of(Double.NaN, 3)).isEqualTo("NaN");
    }

    @Test
    void refusesDecimalsItCannotScale() {
        assertThatThrownBy(() -> Fixed.of(1, 10)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 to 9");
        assertThatThrownBy(() -> Fixed.of(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
