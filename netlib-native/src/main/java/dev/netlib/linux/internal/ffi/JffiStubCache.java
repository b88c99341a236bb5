package dev.netlib.linux.internal.ffi;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;

/**
 * Hands jffi its native stub from a per-user cache, so a JVM does not unpack it again. Without a
 * {@code jffi.boot.library.path}, jffi's StubLoader copies {@code libjffi-1.2.so} out of its jar into
 * a new temp file on every start and checks it with SHA-256: a SecureRandom for the file name,
 * the security providers and an interpreted digest of the library twice, ~25-35 ms of a fresh JVM
 * (issue 13). Here the stub is unpacked once into
 * {@code ${XDG_CACHE_HOME:-~/.cache}/netlib/jffi-CRC-SIZE/} (CRC and size of the jar entry, so
 * another jffi build gets a directory of its own) and jffi is pointed there; it loads a stub from
 * that path with no copy and no digest.
 *
 * <p>The directory is the user's own (created 0700; one that another user owns or others may write
 * is not used), and the library is written under a temporary name and renamed, so a concurrent
 * start sees it whole or not at all. Anything unexpected (no cache directory, a read-only home, a
 * stub not in a jar, {@code jffi.boot.library.path} already set, {@code -Dnetlib.jffi.cache=false})
 * leaves jffi to its own extraction, as before.
 */
final class JffiStubCache {
    /** jffi's own property: where StubLoader looks for the stub before anything else. */
    static final String BOOT_PATH = "jffi.boot.library.path";
    /** Set to {@code false} to leave jffi to its own extraction. */
    static final String ENABLED = "netlib.jffi.cache";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private JffiStubCache() {}

    /** Points jffi at the cached stub (unpacking it first if needed); must run before jffi's first use. */
    static void prepare() {
        if (System.getProperty(BOOT_PATH) != null || "false".equals(System.getProperty(ENABLED))) {
            return;
        }
        try {
            Path dir = cachedStubDirectory();
            if (dir != null) {
                System.setProperty(BOOT_PATH, dir.toString());
            }
        } catch (IOException | RuntimeException e) {
            // no cache: jffi unpacks its stub itself, as it would without netlib
        }
    }

    /** The directory holding the stub of the jffi on the class path, or null if it cannot be had. */
    static Path cachedStubDirectory() throws IOException {
        Path base = cacheBase();
        // jffi's name for its stub: "jffi-" + Version.MAJOR + "." + Version.MINOR, under jni/<cpu>-<os>/
        String library = System.mapLibraryName("jffi-" + com.kenai.jffi.Version.MAJOR + "." + com.kenai.jffi.Version.MINOR);
        String resource = "jni/" + platform() + "/" + library;
        ClassLoader loader = JffiStubCache.class.getClassLoader();
        URL url = loader == null ? null : loader.getResource(resource);
        if (base == null || url == null) {
            return null;
        }
        URLConnection c = url.openConnection();
        if (!(c instanceof JarURLConnection jar) || jar.getJarEntry() == null) {
            return null;
        }
        long crc = jar.getJarEntry().getCrc();
        long size = jar.getJarEntry().getSize();
        if (crc < 0 || size < 0) {
            return null;
        }
        Path dir = base.resolve("jffi-" + Long.toHexString(crc) + "-" + size);
        Path stub = dir.resolve(library);
        if (ownedDirectory(base) && ownedDirectory(dir) && Files.isRegularFile(stub, LinkOption.NOFOLLOW_LINKS) && Files.size(stub) == size) {
            return dir;
        }
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        if (!ownedDirectory(base) || !ownedDirectory(dir)) {
            return null;
        }
        Path partial = dir.resolve(library + "." + ProcessHandle.current().pid() + ".part");
        try (InputStream in = c.getInputStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            if (Files.size(partial) != size) {
                return null;
            }
            Files.move(partial, stub, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return dir;
    }

    /** ${XDG_CACHE_HOME}/netlib, else ~/.cache/netlib; null without a home. */
    private static Path cacheBase() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "netlib");
        }
        String home = System.getProperty("user.home");
        return home == null || !home.startsWith("/") ? null : Path.of(home, ".cache", "netlib");
    }

    /** True if {@code dir} is a real directory of this user that no one else may write to. */
    private static boolean ownedDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> p = a.permissions();
        return a.owner().getName().equals(System.getProperty("user.name"))
                && !p.contains(PosixFilePermission.GROUP_WRITE) && !p.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /** jffi's platform directory name: {@code x86_64-Linux}, {@code aarch64-Linux}. */
    private static String platform() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String cpu = arch.equals("amd64") ? "x86_64" : arch;
        return cpu + "-" + System.getProperty("os.name", "").split(" ")[0];
    }
}
