package dev.netlib.linux.internal.netns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What readlink of an nsfs fd looks like, told apart from a bind mount's path (no root needed). */
class NsFilesTest {
    @Test
    void nsfsLinkTargetsAreTypeColonBracketedInode() {
        // readlink /proc/self/fd/N for fds opened on /proc/self/ns/{net,mnt,pid_for_children}
        assertThat(NsFiles.isNsfsLink("net:[4026531840]")).isTrue();
        assertThat(NsFiles.isNsfsLink("mnt:[4026531841]")).isTrue();
        assertThat(NsFiles.isNsfsLink("pid_for_children:[4026531836]")).isTrue();
    }

    @Test
    void pathsAndMalformedTargetsAreNot() {
        assertThat(NsFiles.isNsfsLink("/run/netns/blue")).isFalse(); // an fd opened through the bind mount
        assertThat(NsFiles.isNsfsLink("socket:[123]x")).isFalse();
        assertThat(NsFiles.isNsfsLink("net:[]")).isFalse();
        assertThat(NsFiles.isNsfsLink(":[1]")).isFalse();
        assertThat(NsFiles.isNsfsLink("Net:[1]")).isFalse();
        assertThat(NsFiles.isNsfsLink("net:[12a]")).isFalse();
        assertThat(NsFiles.isNsfsLink("net[1]")).isFalse();
        assertThat(NsFiles.isNsfsLink("net:[١٢]")).isFalse(); // non-ASCII digits, which \d would not match either
        assertThat(NsFiles.isNsfsLink("")).isFalse();
    }
}
