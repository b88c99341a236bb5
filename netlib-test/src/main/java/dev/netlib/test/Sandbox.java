package dev.netlib.test;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.fake.FakeKernel;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.NetnsRef;
import dev.netlib.spi.Backend;
import dev.netlib.spi.nft.FirewallRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * What one test runs in: a {@link Netlib} on a fresh {@link FakeKernel}, or on the real kernel bound
 * to a throwaway namespace. It remembers how things were at the start so that, at the end, it can
 * say what the test left behind, and then removes it.
 */
final class Sandbox {
    /** Prefix of the throwaway namespaces (nl*- like every netlib test namespace, for leftover scans). */
    static final String PREFIX = "nlsb-";
    /** Threads netlib starts are named {@code netlib-...} (namespace workers, the fake's run threads). */
    private static final String THREAD_PREFIX = "netlib-";
    /** How long leftovers may take to go away on their own (the kernel's namespace clean-up). */
    private static final long SETTLE_NANOS = 3_000_000_000L;

    private final RecordingBackend recorder;
    private final Backend backend;
    private final Netlib root;
    private final Namespace throwaway;
    private final Netlib netlib;
    private final FakeKernel fake;
    private final Set<String> linksAtStart;
    private final Set<Thread> threadsAtStart;
    private boolean closed;

    private Sandbox(RecordingBackend recorder, FakeKernel fake, boolean real) {
        this.threadsAtStart = netlibThreads();
        this.recorder = recorder;
        this.backend = recorder.backend();
        this.fake = fake;
        this.root = Netlib.open(backend);
        Namespace ns = null;
        if (real) {
            ns = root.namespaces().create(PREFIX + ProcessHandle.current().pid() + "-"
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        }
        this.throwaway = ns;
        this.netlib = ns == null ? root : root.in(ns);
        this.linksAtStart = linkNames();
    }

    /** A sandbox on a new FakeKernel: the injected handle is the fake's root namespace. */
    static Sandbox onFakeKernel() {
        FakeKernel kernel = new FakeKernel();
        return new Sandbox(RecordingBackend.around(kernel), kernel, false);
    }

    /** A sandbox in a new namespace of the real kernel, through the backend netlib-native provides. */
    static Sandbox onRealKernel() {
        Iterator<Backend> found = ServiceLoader.load(Backend.class, Netlib.class.getClassLoader()).iterator();
        if (!found.hasNext()) {
            throw new IllegalStateException("@RealKernel needs netlib-native (the Linux backend) on the test class path");
        }
        Backend linux = found.next();
        try {
            return new Sandbox(RecordingBackend.around(linux), null, true);
        } catch (RuntimeException e) {
            linux.close();
            throw e;
        }
    }

    /** The handle the test gets. */
    Netlib netlib() {
        return netlib;
    }

    /** The fake kernel, or null on the real kernel. */
    FakeKernel fakeKernel() {
        return fake;
    }

    boolean isReal() {
        return throwaway != null;
    }

    private NetnsRef sandboxRef() {
        return netlib.namespace().ref();
    }

    /** What the sandbox is, for messages: {@code namespace nlsb-...} or {@code FakeKernel}. */
    String describe() {
        return isReal() ? "namespace " + throwaway.name().orElse("?") + " on the real kernel" : "the FakeKernel host";
    }

    private Set<String> linkNames() {
        return backend.links(sandboxRef()).stream().map(LinkInfo::name).collect(Collectors.toSet());
    }

    /** The namespaces the test created through netlib that still exist. */
    private List<String> namespacesLeft() {
        List<String> listed = backend.listNamespaces();
        String own = throwaway == null ? null : throwaway.name().orElse(null);
        return recorder.createdNames().stream().filter(n -> !n.equals(own) && listed.contains(n)).distinct().toList();
    }

    /**
     * What the test left behind, one line each; empty when nothing. Called before {@link #close()}:
     * named namespaces it created, links it added to the sandbox, netlib's nftables rules there, and
     * namespace bind mounts under /run/netns that outlived their namespace's name.
     */
    List<String> leftovers() {
        // The kernel destroys a namespace asynchronously: a veth whose peer was in a namespace just
        // deleted vanishes a moment later. Look again for a short while before blaming the test.
        long deadline = System.nanoTime() + SETTLE_NANOS;
        List<String> left = leftoversNow();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = leftoversNow();
        }
        return left;
    }

    private List<String> leftoversNow() {
        List<String> left = new ArrayList<>();
        for (String ns : namespacesLeft()) {
            left.add("namespace " + ns + " (created by the test, never deleted)");
        }
        for (LinkInfo l : backend.links(sandboxRef())) {
            if (!linksAtStart.contains(l.name())) {
                left.add("link " + l.name() + (l.kind() != null ? " (" + l.kind() + ")" : "") + " in " + describe());
            }
        }
        try {
            List<FirewallRule> rules = backend.firewallRules(sandboxRef());
            for (FirewallRule r : rules) {
                left.add("nft rule in table ip netlib: " + r.describe());
            }
        } catch (RuntimeException e) {
            // A backend without nftables has no rules to leave.
        }
        if (isReal()) {
            List<String> listed = backend.listNamespaces();
            for (String mount : netnsMounts()) {
                String name = mount.substring(mount.lastIndexOf('/') + 1);
                if (recorder.createdNames().contains(name) && !listed.contains(name)) {
                    left.add("mount " + mount + " (a namespace's bind mount without its name)");
                }
            }
        }
        return left;
    }

    /** Mount points under /run/netns (where /var/run/netns leads) in this process's mount table. */
    private static List<String> netnsMounts() {
        List<String> mounts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && (f[4].startsWith("/run/netns/") || f[4].startsWith("/var/run/netns/"))) {
                    mounts.add(f[4]);
                }
            }
        } catch (IOException e) {
            // No /proc: nothing to check.
        }
        return mounts;
    }

    /** An ip-style dump of the sandbox and of every namespace the test made that still exists. */
    String dump() {
        StringBuilder out = new StringBuilder("netlib sandbox: ").append(describe()).append('\n');
        out.append(SandboxDump.render(backend, sandboxRef(), describe()));
        for (String name : namespacesLeft()) {
            try (Namespace ns = root.namespaces().open(name)) {
                out.append(SandboxDump.render(backend, ns.ref(), "namespace " + name + " (made by the test)"));
            } catch (RuntimeException e) {
                out.append("== namespace ").append(name).append(": cannot open: ").append(e.getMessage()).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * Removes everything the test made (named namespaces it created, the throwaway namespace) and
     * closes the backend, then returns the netlib threads that are still running: none should be,
     * since closing a backend ends its namespace threads.
     */
    List<String> close() {
        if (closed) {
            return List.of();
        }
        closed = true;
        RuntimeException failure = null;
        try {
            for (String name : namespacesLeft()) {
                try {
                    root.namespaces().delete(name);
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            if (throwaway != null) {
                try {
                    throwaway.close();
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
        } finally {
            root.close();
            recorder.delegate().close();
        }
        if (failure != null) {
            throw failure;
        }
        return threadsLeft();
    }

    /** netlib threads started during the test that have not ended within two seconds of the close. */
    private List<String> threadsLeft() {
        long deadline = System.nanoTime() + 2_000_000_000L;
        List<Thread> left;
        do {
            left = netlibThreads().stream().filter(t -> !threadsAtStart.contains(t)).toList();
            if (left.isEmpty()) {
                return List.of();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() < deadline);
        return left.stream().map(t -> "thread " + t.getName() + " (" + t.getState() + ")").toList();
    }

    private static Set<Thread> netlibThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(THREAD_PREFIX))
                .collect(Collectors.toSet());
    }
}
