package dev.netlib.lock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {
    /** The first tries go again at once: a single concurrent writer is the common case. */
    @Test
    void noPauseBeforeTheFirstPausedTry() {
        assertThat(Backoff.pause(1, 2, 100, 20_000)).isFalse();
        assertThat(Backoff.pause(2, 2, 1, 1)).isTrue();
        assertThat(Backoff.pause(Integer.MAX_VALUE, 0, 1_000, 1)).as("no overflow of the doubling").isTrue();
    }
}
