package dev.netlib.overlay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each VXLAN device's {@link WrittenEntries} in a file of its own ({@code DIR/nlv-V}), so that an
 * agent restarted on the same boot knows which neighbour, FDB and bridge entries an earlier run wrote and can
 * remove the ones of peers that left meanwhile, without taking anyone else's.
 *
 * <p>The default directory is under /run, a tmpfs the system empties at boot: exactly when the kernel's
 * entries are gone too. A file is replaced by rename, so a reader sees either the old record or the new
 * one, never half of one. There is no fsync: the record has to survive the death of the process (the
 * page cache keeps the file), not of the machine, whose crash takes the kernel's entries with it; the
 * boot id in each record catches a directory that is not emptied at boot.
 *
 * <p>With no directory, records live in memory only (the earlier behaviour): a restarted agent then
 * proves nothing and leaves every entry of an earlier run alone. Kernel thread only.
 */
final class WrittenRecords {
    private static final Logger LOG = LoggerFactory.getLogger(WrittenRecords.class);

    private final Path dir;
    private final String boot;
    private final long netns;
    private final Map<String, WrittenEntries> records = new HashMap<>();
    private final Map<String, String> saved = new HashMap<>();

    /**
     * Records of the devices in the namespace with inode {@code netns}, kept in {@code dir} (created when
     * first written), or in memory only when {@code dir} is null.
     */
    WrittenRecords(Path dir, long netns) {
        this.dir = dir;
        this.netns = netns;
        this.boot = bootId();
    }

    private static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown"; // no /proc: records are then bound to the device's ifindex alone
        }
    }

    /**
     * The record of device {@code dev}, which has index {@code ifindex} now: the one kept in memory or
     * on file if it was made for this very device in this boot, else a new empty one.
     */
    WrittenEntries of(String dev, int ifindex) {
        WrittenEntries w = records.get(dev);
        if (w == null) {
            w = read(dev);
        }
        if (w == null || !w.isFor(boot, netns, ifindex)) {
            w = new WrittenEntries(boot, netns, ifindex);
        }
        records.put(dev, w);
        return w;
    }

    private WrittenEntries read(String dev) {
        if (dir == null) {
            return null;
        }
        Path file = dir.resolve(dev);
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            saved.put(dev, text);
            return WrittenEntries.decode(text);
        } catch (NoSuchFileException none) {
            return null;
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("ignoring unreadable overlay record {} ({}): entries of earlier runs on {} are left alone", file, e.toString(), dev);
            return null;
        }
    }

    /** Writes device {@code dev}'s record to its file if it changed since it was last read or written. */
    void save(String dev) {
        WrittenEntries w = records.get(dev);
        if (w == null || dir == null) {
            return;
        }
        String text = w.encode();
        if (text.equals(saved.get(dev))) {
            return;
        }
        Path file = dir.resolve(dev);
        Path temp = dir.resolve("." + dev + ".tmp");
        try {
            Files.createDirectories(dir);
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            saved.put(dev, text);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp); // a write or move that failed half-way leaves no stray file
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new OverlayException("cannot write overlay record " + file + ": " + e
                    + "; give the agent a writable directory with OverlayAgent.Builder.recordDir", e);
        }
    }

    /** Drops device {@code dev}'s record, in memory and on file: call before the device is deleted. */
    void forget(String dev) {
        records.remove(dev);
        saved.remove(dev);
        if (dir != null) {
            try {
                Files.deleteIfExists(dir.resolve(dev));
                Files.delete(dir); // the host's last record: nothing of it is left in /run
            } catch (DirectoryNotEmptyException | NoSuchFileException others) {
                // other devices' records, or none ever written
            } catch (IOException e) {
                throw new OverlayException("cannot remove overlay record " + dir.resolve(dev) + ": " + e, e);
            }
        }
    }

    /** Deletes the files of devices not in {@code devices} (their device went while no agent ran). */
    void retainOnly(Set<String> devices) {
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (!devices.contains(name)) {
                    records.remove(name);
                    saved.remove(name);
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot collect stale overlay records in {}: {}", dir, e.toString());
        }
    }
}
