package dev.netlib.spi.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IfindexChoiceTest {
    @Test
    void theProcessStartIsSpreadOverTheWindowAndFollowsTheClock() {
        Set<Integer> seen = new HashSet<>();
        int low = 0;
        for (int i = 0; i < 200; i++) {
            int s = IfindexChoice.randomStart();
            assertThat(s).isBetween(0, IfindexChoice.WINDOW - 1);
            seen.add(s);
            low += s < IfindexChoice.WINDOW / 2 ? 1 : 0;
        }
        // calls nanoseconds apart land anywhere in the window, as two processes' starts do
        assertThat(seen).hasSizeGreaterThan(190);
        assertThat(low).isBetween(50, 150);
    }

    @Test
    void aSequenceStaysInTheUpperHalfAndWrapsBeforeTheLimit() {
        IfindexChoice.Sequence s = new IfindexChoice.Sequence(Integer.MAX_VALUE - 1);
        assertThat(s.next()).isEqualTo(Integer.MAX_VALUE - 1);
        assertThat(s.next()).isEqualTo(Integer.MAX_VALUE);
        assertThat(s.next()).isEqualTo(IfindexChoice.BASE);
        assertThat(IfindexChoice.next()).isGreaterThanOrEqualTo(IfindexChoice.BASE);
        assertThatThrownBy(() -> new IfindexChoice.Sequence(IfindexChoice.BASE - 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
