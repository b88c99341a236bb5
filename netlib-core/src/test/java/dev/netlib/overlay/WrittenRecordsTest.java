package dev.netlib.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record of written entries on file: what a restarted agent reads, and when it must not trust it. */
class WrittenRecordsTest {
    @TempDir
    Path dir;

    private static void fill(WrittenEntries w) {
        w.neighbours.put(IpAddresses.parse("10.0.0.3"), MacAddress.parse("02:42:0a:00:00:03"));
        w.fdb.put(MacAddress.parse("02:42:0a:00:00:03"), IpAddresses.parse("10.99.0.3"));
        w.bridge.add(MacAddress.parse("02:42:0a:00:00:03"));
    }

    @Test
    void aRecordSavedByOneRunIsReadByTheNextForTheSameDevice() throws Exception {
        WrittenRecords first = new WrittenRecords(dir, 4026531840L);
        fill(first.of("nlv-100000", 7));
        first.save("nlv-100000");
        WrittenEntries read = new WrittenRecords(dir, 4026531840L).of("nlv-100000", 7);
        assertThat(read).isEqualTo(first.of("nlv-100000", 7));
        assertThat(read.neighbours).containsEntry(IpAddresses.parse("10.0.0.3"), MacAddress.parse("02:42:0a:00:00:03"));
        assertThat(read.fdb).containsEntry(MacAddress.parse("02:42:0a:00:00:03"), IpAddresses.parse("10.99.0.3"));
        assertThat(read.bridge).containsExactly(MacAddress.parse("02:42:0a:00:00:03"));
        assertThat(dir.resolve(".nlv-100000.tmp")).as("the temporary file renamed or removed").doesNotExist();
    }

    @Test
    void aSaveReplacesTheFileByARenameSoAReaderOfTheOldOneNeverSeesAHalfWrittenRecord() throws Exception {
        WrittenRecords r = new WrittenRecords(dir, 4026531840L);
        fill(r.of("nlv-100000", 7));
        r.save("nlv-100000");
        Path file = dir.resolve("nlv-100000");
        Object before = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        String old = Files.readString(file);
        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) { // a reader that opened the old record
            r.of("nlv-100000", 7).bridge.add(MacAddress.parse("02:42:0a:00:00:04"));
            r.save("nlv-100000");
            // written in place, the open file would be the new record (or a mix, or empty mid-write)
            ByteBuffer seen = ByteBuffer.allocate(old.length() + 100);
            reader.read(seen, 0);
            assertThat(new String(seen.array(), 0, seen.position(), StandardCharsets.UTF_8)).as("the old file, whole and unchanged").isEqualTo(old);
        }
        assertThat(Files.readAttributes(file, BasicFileAttributes.class).fileKey()).as("a new inode under the name").isNotEqualTo(before);
        assertThat(Files.readString(file)).isNotEqualTo(old).contains("02:42:0a:00:00:04");
        assertThat(dir.resolve(".nlv-100000.tmp")).doesNotExist();
    }

    @Test
    void aRecordOfAnotherDeviceOrNamespaceUnderTheSameNameProvesNothing() {
        WrittenRecords first = new WrittenRecords(dir, 4026531840L);
        fill(first.of("nlv-100000", 7));
        first.save("nlv-100000");
        assertThat(new WrittenRecords(dir, 4026531840L).of("nlv-100000", 8).neighbours).as("device made again: new ifindex").isEmpty();
        assertThat(new WrittenRecords(dir, 4026532000L).of("nlv-100000", 7).fdb).as("another namespace").isEmpty();
    }

    @Test
    void aForgottenOrGoneDevicesRecordIsDeletedAndAnUnreadableOneIgnored() throws Exception {
        WrittenRecords r = new WrittenRecords(dir, 1);
        fill(r.of("nlv-100000", 7));
        r.save("nlv-100000");
        fill(r.of("nlv-100001", 9));
        r.save("nlv-100001");
        r.forget("nlv-100000");
        assertThat(dir.resolve("nlv-100000")).doesNotExist();
        r.retainOnly(Set.of("nlb-100001"));
        assertThat(dir.resolve("nlv-100001")).as("its device is gone").doesNotExist();
        r.forget("nlv-100001");
        assertThat(dir).as("the last record gone: the directory too").doesNotExist();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("nlv-100002"), "garbage\n");
        assertThat(new WrittenRecords(dir, 1).of("nlv-100002", 3).neighbours).isEmpty();
    }

    @Test
    void withoutADirectoryRecordsStayInMemory() {
        WrittenRecords r = new WrittenRecords(null, 1);
        fill(r.of("nlv-100000", 7));
        r.save("nlv-100000");
        assertThat(r.of("nlv-100000", 7).neighbours).hasSize(1);
        assertThat(new WrittenRecords(null, 1).of("nlv-100000", 7).neighbours).isEmpty();
    }

    @Test
    void aRecordOfThePreviousFormatWithoutBridgeLinesStillLoads() {
        WrittenEntries old = WrittenEntries.decode("boot b\nnetns 1\nifindex 7\nneigh 10.0.0.3 02:42:0a:00:00:03\nfdb 02:42:0a:00:00:03 10.99.0.3\n");
        assertThat(old.isFor("b", 1, 7)).isTrue();
        assertThat(old.neighbours).hasSize(1);
        assertThat(old.fdb).hasSize(1);
        assertThat(old.bridge).as("no bridge entry recorded").isEmpty();
        assertThat(old.encode()).as("written back as it was").isEqualTo("boot b\nnetns 1\nifindex 7\nneigh 10.0.0.3 02:42:0a:00:00:03\n"
                + "fdb 02:42:0a:00:00:03 10.99.0.3\n");
    }

    @Test
    void aCopyIsIndependentOfItsOriginal() {
        WrittenEntries w = new WrittenEntries("b", 1, 7);
        fill(w);
        WrittenEntries c = w.copy();
        assertThat(c).isEqualTo(w);
        c.bridge.clear();
        assertThat(w.bridge).as("a dry run's changes stay in its copy").hasSize(1);
        assertThat(c).isNotEqualTo(w);
    }

    @Test
    void decodeRefusesTextThatIsNoRecord() {
        assertThatThrownBy(() -> WrittenEntries.decode("neigh 10.0.0.3 02:42:0a:00:00:03\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WrittenEntries.decode("boot x\nnetns 1\nifindex 2\nroute 1\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WrittenEntries.decode("bridge 02:42:0a:00:00:03\nboot x\nnetns 1\nifindex 2\n")).isInstanceOf(IllegalArgumentException.class);
    }
}
