package dev.netlib.linux.internal.nft;

import java.nio.file.Path;

/**
 * The other process of {@link NftLockKernelTest}: takes the nf_tables lock of the namespace with
 * nsfs inode INODE (lock files in DIR), prints {@code LOCKED} and waits for stdin to close; the
 * test kills it with SIGKILL while it holds the lock.
 *
 * <p>usage: NftLockHolder DIR INODE
 */
public final class NftLockHolder {
    private NftLockHolder() {}

    public static void main(String[] args) throws Exception {
        try (NftLock lock = NftLock.in(Path.of(args[0]), Long.parseLong(args[1])); NftLock.Held held = lock.acquire()) {
            System.out.println(held.hostWide() ? "LOCKED" : "NOT HOST-WIDE");
            System.out.flush();
            while (System.in.read() >= 0) {
                continue;
            }
        }
    }
}
