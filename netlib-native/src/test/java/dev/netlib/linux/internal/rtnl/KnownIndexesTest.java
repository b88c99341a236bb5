package dev.netlib.linux.internal.rtnl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What each kind of forgetting keeps. */
class KnownIndexesTest {

    @Test
    void anotherNamespacesChangeLeavesLoAndTheBridgesKnown() {
        KnownIndexes known = new KnownIndexes();
        known.learn("lo", 1, true);
        known.learn("br0", 2, true);
        known.learn("veth0", 3);
        known.learn("mv0", 4, false);
        known.forgetWhatOtherNamespacesCanRemove();
        assertThat(known.get("lo")).isEqualTo(1);
        assertThat(known.get("br0")).isEqualTo(2);
        assertThat(known.get("veth0")).isZero();
        assertThat(known.get("mv0")).isZero();
    }

    @Test
    void aNameLearnedAgainAsAnotherKindOfLinkLosesItsPlace() {
        KnownIndexes known = new KnownIndexes();
        known.learn("br0", 2, true);
        known.learn("br0", 7, false); // deleted and made again as a veth by someone else, looked up anew
        known.forgetWhatOtherNamespacesCanRemove();
        assertThat(known.get("br0")).isZero();

        known.learn("br1", 5, true);
        known.forget("br1");
        known.learn("br1", 6);
        known.forgetWhatOtherNamespacesCanRemove();
        assertThat(known.get("br1")).isZero();
    }

    @Test
    void clearForgetsEverything() {
        KnownIndexes known = new KnownIndexes();
        known.learn("lo", 1, true);
        known.learn("br0", 2, true);
        known.clear();
        assertThat(known.get("lo")).isZero();
        assertThat(known.get("br0")).isZero();
        known.learn("br0", 3);
        known.forgetWhatOtherNamespacesCanRemove();
        assertThat(known.get("br0")).as("clear dropped br0's old place too").isZero();
    }
}
