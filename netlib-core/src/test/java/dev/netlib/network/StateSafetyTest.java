package dev.netlib.network;

import dev.netlib.ipam.FileIpamStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state model under several writers on the file store (the etcd store: netlib-etcd's EtcdNetworkRaceTest). */
class StateSafetyTest {
    @TempDir
    Path tmp;

    @Test
    void anUndoGivesBackOnlyItsOwnLeaseWhileAnotherWriterAllocates() {
        Path dir = tmp.resolve("store");
        LostLeaseRace.run(FileIpamStore.open(dir), FileIpamStore.open(dir), tmp.resolve("etc"));
    }
}
