package dev.netlib.linux.internal.netns;

import static dev.netlib.linux.internal.netns.NlnSupport.threadInode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.NotFoundException;
import dev.netlib.spi.NamespaceLocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Concurrency, fd hygiene and cost of the namespace layer on the real kernel. Needs root. */
class NetnsStressKernelTest {
    private NetnsManager mgr;
    private final NlnSupport.Names names = new NlnSupport.Names();

    @BeforeEach
    void setUp() {
        NlnSupport.assumeRoot();
        mgr = new NetnsManager();
    }

    @AfterEach
    void tearDown() {
        try {
            if (mgr != null) {
                mgr.close();
            }
        } finally {
            names.removeAll();
        }
    }

    private String name(String tag) {
        return names.name(tag);
    }

    @Test
    void eightThreadsCreateAndDeleteConcurrently() throws Exception {
        int threads = 8;
        int cycles = 25;
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    long mine = threadInode();
                    start.await();
                    for (int i = 0; i < cycles; i++) {
                        String n = name("c" + id);
                        LinuxNetns ns = i % 2 == 0 ? mgr.create(n) : mgr.create(null);
                        check(mine, "create");
                        if (ns.kind() == LinuxNetns.Kind.NAMED) {
                            try {
                                mgr.create(n);
                                throw new AssertionError("second create of " + n + " succeeded");
                            } catch (AlreadyExistsException expected) {
                                check(mine, "failed create");
                            }
                            LinuxNetns again = mgr.open(new NamespaceLocator.ByName(n));
                            check(mine, "open");
                            assertThat(again.inode()).isEqualTo(ns.inode());
                            mgr.release(again);
                        }
                        mgr.writeSysctl(ns, "net.ipv4.ip_forward", "1");
                        assertThat(mgr.readSysctl(ns, "net.ipv4.ip_forward")).isEqualTo("1");
                        assertThat(mgr.run(ns, NlnSupport::threadInode)).isEqualTo(ns.inode());
                        check(mine, "run");
                        mgr.delete(ns);
                        check(mine, "delete");
                        try {
                            mgr.open(new NamespaceLocator.ByName(n));
                            throw new AssertionError(n + " still there");
                        } catch (NotFoundException expected) {
                            check(mine, "failed open");
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "nln-stress-" + t);
            ts.add(th);
            th.start();
        }
        start.countDown();
        for (Thread th : ts) {
            th.join(TimeUnit.MINUTES.toMillis(2));
        }
        assertThat(failures).isEmpty();
        assertThat(mgr.openRefs()).isZero();
        List<String> left = mgr.list();
        assertThat(left).noneMatch(names::contains);
    }

    private static void check(long expected, String what) {
        long now = threadInode();
        if (now != expected) {
            throw new AssertionError("caller thread moved to netns " + now + " after " + what);
        }
    }

    @Test
    void aThousandCreateDeleteCyclesLeaveNoFdBehind() {
        for (int i = 0; i < 20; i++) { // warm up: classes, jars, the root workers
            cycle(i);
        }
        long before = NlnSupport.openFds();
        var tableBefore = NlnSupport.fdTable();
        List<String> kindsBefore = NlnSupport.netlibKindFds();
        long t0 = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            cycle(i);
        }
        long perCycleUs = (System.nanoTime() - t0) / 1000 / 1000;
        long after = NlnSupport.openFds();
        System.out.printf("netns hygiene: 1000 create/run/delete cycles (named and anonymous), %d us each; fds %d -> %d%n",
                perCycleUs, before, after);
        // every namespace fd is closed again (exactly); the total may differ only by the JVM's own
        assertThat(NlnSupport.netlibKindFds()).isEqualTo(kindsBefore);
        assertThat(after).as("fds before %s, after %s", tableBefore, NlnSupport.fdTable()).isBetween(before - 2, before + 2);
        assertThat(mgr.openRefs()).isZero();
        assertThat(mgr.list()).noneMatch(n -> n.startsWith("nln-hyg-" + ProcessHandle.current().pid()));
    }

    private void cycle(int i) {
        LinuxNetns ns = i % 2 == 0 ? mgr.create(name("hyg")) : mgr.create(null);
        if (i % 10 == 0) {
            mgr.readSysctl(ns, "net.ipv4.ip_forward");
        }
        mgr.delete(ns);
    }

    @Test
    void costOfRunningInsideANamespace() throws Exception {
        LinuxNetns ns = mgr.create(null);
        try {
            for (int i = 0; i < 2000; i++) {
                mgr.run(ns, () -> 1);
            }
            int n = 20000;
            int started = NamespaceExecutor.startedWorkers();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                mgr.run(ns, () -> 1);
            }
            long cached = (System.nanoTime() - t0) / n;
            // back-to-back calls reuse the idle worker: it is idle again before the caller resumes
            assertThat(NamespaceExecutor.startedWorkers() - started).as("workers started for sequential calls").isLessThanOrEqualTo(1);
            // the alternative: a fresh platform thread per call that setns()es and ends
            int m = 2000;
            long t1 = System.nanoTime();
            for (int i = 0; i < m; i++) {
                Thread t = new Thread(() -> dev.netlib.linux.internal.ffi.Syscalls.libc().setns(ns.fd(), dev.netlib.linux.internal.ffi.LinuxConstants.CLONE_NEWNET));
                t.start();
                t.join();
            }
            long fresh = (System.nanoTime() - t1) / m;
            System.out.printf("netns run(): cached per-namespace worker %d ns/call, new thread + setns per call %d ns/call%n", cached, fresh);
            assertThat(cached).isLessThan(fresh);
        } finally {
            mgr.release(ns);
        }
    }
}
