package dev.netlib.linux.internal.ffi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jffi's stub unpacked once into the user's cache, whole, and only into a directory of the user's own. */
class JffiStubCacheTest {
    @TempDir
    Path home;
    private String savedHome;

    @BeforeEach
    void pointHomeHere() {
        // the cache follows XDG_CACHE_HOME when set; this test moves user.home only
        assumeTrue(System.getenv("XDG_CACHE_HOME") == null, "XDG_CACHE_HOME is set: the cache is not under user.home");
        savedHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
    }

    @AfterEach
    void restoreHome() {
        if (savedHome != null) {
            System.setProperty("user.home", savedHome);
        }
    }

    @Test
    void unpacksTheStubOnceIntoAPrivateDirectory() throws IOException {
        Path dir = JffiStubCache.cachedStubDirectory();
        assertThat(dir).isNotNull().startsWith(home.resolve(".cache/netlib"));
        assertThat(dir.getFileName().toString()).matches("jffi-[0-9a-f]+-[0-9]+");
        Path stub = dir.resolve(System.mapLibraryName("jffi-1.2"));
        assertThat(Files.readAllBytes(stub)).isEqualTo(packaged());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent()))).isEqualTo("rwx------");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(stub); // no partial file left behind
        }

        FileTime written = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(stub, written);
        assertThat(JffiStubCache.cachedStubDirectory()).isEqualTo(dir);
        assertThat(Files.getLastModifiedTime(stub)).isEqualTo(written); // found, not written again
    }

    @Test
    void aTruncatedStubIsWrittenAgain() throws IOException {
        Path dir = JffiStubCache.cachedStubDirectory();
        Path stub = dir.resolve(System.mapLibraryName("jffi-1.2"));
        Files.write(stub, new byte[] {1, 2, 3});
        assertThat(JffiStubCache.cachedStubDirectory()).isEqualTo(dir);
        assertThat(Files.readAllBytes(stub)).isEqualTo(packaged());
    }

    @Test
    void aDirectoryOthersMayWriteIsNotUsed() throws IOException {
        Path base = home.resolve(".cache/netlib");
        Files.createDirectories(base);
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(JffiStubCache.cachedStubDirectory()).isNull();
    }

    private static byte[] packaged() throws IOException {
        String platform = (System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch")) + "-Linux";
        try (InputStream in = JffiStubCacheTest.class.getClassLoader()
                .getResourceAsStream("jni/" + platform + "/" + System.mapLibraryName("jffi-1.2"))) {
            assertThat(in).as("jffi's packaged stub").isNotNull();
            byte[] b = in.readAllBytes();
            assertThat(Arrays.equals(b, new byte[0])).isFalse();
            return b;
        }
    }
}
