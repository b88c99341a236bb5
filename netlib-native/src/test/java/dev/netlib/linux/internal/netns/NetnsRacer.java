package dev.netlib.linux.internal.netns;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.linux.LinuxBackend;
import dev.netlib.testjvm.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One of the processes of {@link NetnsProcessesKernelTest}: after a warm-up, waits for the start file, then tries to
 * create every name PREFIX0..PREFIX(COUNT-1) through the public API, as the other processes do at
 * the same moment, starting at FIRST and going up or down (STEP 1 or -1), wrapping around: processes
 * that start at different names and go towards each other meet head-on, trying one name at the
 * same moment (one that started with the same name as another would only trail it). Prints {@code WON NAME INODE} or {@code LOST NAME} for each, then {@code RACED}
 * and waits for a line on stdin; then deletes the namespaces it won and prints {@code FDS BEFORE
 * AFTER} (its netlib-kind fds: sockets, namespace files) and {@code REFS N} (refs still open).
 *
 * <p>usage: NetnsRacer PREFIX COUNT START_FILE FIRST STEP
 */
public final class NetnsRacer {
    private NetnsRacer() {}

    public static void main(String[] args) throws Exception {
        String prefix = args[0];
        int count = Integer.parseInt(args[1]);
        Path start = Path.of(args[2]);
        int first = Integer.parseInt(args[3]);
        int step = Integer.parseInt(args[4]);
        try (Netlib netlib = Netlib.open()) {
            // one create and delete first, so the race measures creates, not this JVM's start
            netlib.namespaces().create(prefix + "warm" + ProcessHandle.current().pid()).close();
            List<String> before = NlnSupport.netlibKindFds();
            System.out.println("READY");
            System.out.flush();
            ChildJvm.awaitStartFlag(start);
            List<Namespace> won = new ArrayList<>();
            StringBuilder out = new StringBuilder();
            for (int j = 0; j < count; j++) {
                String name = prefix + Math.floorMod(first + step * j, count);
                try {
                    Namespace ns = netlib.namespaces().create(name);
                    won.add(ns);
                    out.append("WON ").append(name).append(' ').append(((LinuxNetns) ns.ref()).inode()).append('\n');
                } catch (AlreadyExistsException lost) {
                    out.append("LOST ").append(name).append('\n');
                }
            }
            System.out.print(out);
            System.out.println("RACED");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            for (Namespace ns : won) {
                ns.close(); // an owned handle: deletes the name
            }
            System.out.println("FDS_BEFORE " + before);
            System.out.println("FDS_AFTER " + NlnSupport.netlibKindFds());
            System.out.println("REFS " + ((LinuxBackend) netlib.backend()).namespaces().openRefs());
        }
    }
}
