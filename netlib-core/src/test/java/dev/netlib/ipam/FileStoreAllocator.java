package dev.netlib.ipam;

import java.net.InetAddress;
import java.nio.file.Path;
import dev.netlib.value.IpAddresses;

/**
 * A separate JVM for {@link FileIpamStoreTest}: allocates COUNT addresses (0: forever) from pool
 * POOL in the file store DIR for OWNER, printing "ALLOC address" after each allocation is done, and
 * "DONE" at the end. Args: DIR POOL OWNER COUNT.
 */
public final class FileStoreAllocator {
    private FileStoreAllocator() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[3]);
        try (FileIpamStore store = FileIpamStore.open(dir)) {
            IpPool pool = IpPool.open(store, args[1]);
            System.out.println("READY");
            System.out.flush();
            for (int i = 0; count == 0 || i < count; i++) {
                InetAddress a = pool.allocate(args[2]);
                System.out.println("ALLOC " + IpAddresses.format(a));
                System.out.flush();
            }
        }
        System.out.println("DONE");
        System.out.flush();
    }
}
