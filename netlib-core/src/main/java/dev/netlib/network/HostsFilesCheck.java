package dev.netlib.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hosts files' part of {@link Reconciler}: the networks' shared files, the containers' links to
 * them and own files against the records, then what nobody wants (files of namespaces without
 * endpoints, networks' files no container links, temporary files). Findings and repairs go through
 * the reconciler's own reporting.
 */
final class HostsFilesCheck {
    private static final Logger LOG = LoggerFactory.getLogger(HostsFilesCheck.class);

    /** The reconciler's {@code found}: records a finding and, when repairing, runs its fix. */
    interface Found {
        void found(String subject, String problem, Runnable fix);
    }

    /** The reconciler's {@code journaled}: runs a repair all or nothing. */
    interface Journaled {
        void run(String what, Consumer<Journal> body);
    }

    private final Host host;
    private final NameOps names;
    private final boolean repair;
    private final Found sink;
    private final Journaled journal;
    /** True if a live operation's note is in the store now (one may have begun after the pass read the notes). */
    private final java.util.function.BooleanSupplier workUnderWayNow;

    HostsFilesCheck(Host host, NameOps names, boolean repair, Found sink, Journaled journal, java.util.function.BooleanSupplier workUnderWayNow) {
        this.host = host;
        this.names = names;
        this.repair = repair;
        this.sink = sink;
        this.journal = journal;
        this.workUnderWayNow = workUnderWayNow;
    }

    private void found(String subject, String problem, Runnable fix) {
        sink.found(subject, problem, fix);
    }

    private void journaled(String what, Consumer<Journal> body) {
        journal.run(what, body);
    }

    /**
     * Hosts files that differ from the records: the networks' shared files, the containers' links to
     * them and own files; files of containers without endpoints, networks' files nobody wants, and
     * temporary files.
     */
    void run(boolean anyLive) {
        if (!host.hosts.enabled()) {
            return;
        }
        NameOps.WantedFiles wanted = names.wantedFiles();
        NetworkHostsFiles shared = host.hosts.networks();
        Set<String> wantedNetns = new HashSet<>();
        wanted.containers().values().forEach(w -> wantedNetns.add(w.netns()));
        if (anyLive) {
            return; // while someone works, a file may be theirs before its record exists, or lag it by a line
        }
        // the networks' files first: the containers' links are made to them
        List<Differing> differing = new ArrayList<>();
        List<Runnable> links = new ArrayList<>();
        for (Map.Entry<String, String> w : wanted.networks().entrySet()) {
            String seen = shared.read(w.getKey());
            if (!w.getValue().equals(seen)) {
                // only if nobody rewrote it since it was read, and the records still want what they
                // wanted before it was read (an operation writes its records, then the file: its newer
                // content wins)
                differing.add(new Differing("hosts file of network " + w.getKey(), x -> x.networks().get(w.getKey()),
                        () -> shared.replaceIf(w.getKey(), seen, w.getValue())));
            }
        }
        for (Map.Entry<String, NameOps.Wanted> e : wanted.containers().entrySet()) {
            String c = e.getKey();
            NameOps.Wanted w = e.getValue();
            String netns = w.netns();
            if (netns == null) {
                continue;
            }
            if (w.linked() != null) {
                Path file = shared.file(w.linked());
                if (!host.hosts.linkedTo(netns, file)) {
                    // after the networks' files are repaired: the link is made to one
                    links.add(() -> found("hosts file of " + c, "is not the file of its network " + w.linked(),
                            () -> journaled("link hosts of " + c, j -> host.hosts.link(j, netns, file))));
                }
            } else if (host.hosts.isLink(netns)) {
                links.add(() -> found("hosts file of " + c, "is a network's file, but " + c + " is on several networks or on one without names",
                        () -> journaled("hosts of " + c, j -> host.hosts.write(j, netns, w.content()))));
            } else {
                String seen = host.hosts.read(netns);
                if (!w.content().equals(seen)) {
                    differing.add(new Differing("hosts file of " + c, x -> x.containers().get(c),
                            () -> host.hosts.replaceIf(netns, seen, w.content())));
                }
            }
        }
        if ((!differing.isEmpty() || !links.isEmpty()) && workUnderWayNow.getAsBoolean()) {
            // an operation that began after the pass read the notes writes its records, then its
            // files: one between the two has files that lag its records, and writes them itself
            return;
        }
        // the records read again after every file was: a file an operation rewrote after the first
        // read shows up as records that changed, and that operation's content wins
        NameOps.WantedFiles now = differing.isEmpty() ? wanted : names.wantedFiles();
        for (Differing d : differing) {
            boolean stable = java.util.Objects.equals(d.pick().apply(wanted), d.pick().apply(now));
            found(d.subject(), "differs from the store", () -> {
                if (!stable) {
                    throw new ConcurrentChangeException("its records changed meanwhile; left to the operation changing them");
                }
                d.fix().run();
            });
        }
        links.forEach(Runnable::run);
        Path root = host.hosts.root();
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                String netns = dir.getFileName().toString();
                if (netns.equals(NetworkHostsFiles.DIR)) {
                    continue; // the networks' files, checked above
                }
                try (Stream<Path> files = Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Files.list(dir) : Stream.empty()) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        String name = f.getFileName().toString();
                        if (name.startsWith(".hosts-") && name.endsWith(".tmp")) {
                            found("file " + f, "a temporary file an interrupted writer left", () -> deleteQuietly(f));
                        }
                    }
                }
                String content = wantedNetns.contains(netns) ? null : readQuietly(dir.resolve("hosts"));
                if (content != null && content.startsWith(HostsFiles.MARKER)) {
                    found("hosts file of namespace " + netns, "no endpoint is in that namespace",
                            () -> journaled("remove hosts of " + netns, j -> host.hosts.remove(j, netns)));
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", root, e.toString());
        }
        // last, once the containers' stale names are gone: a network's file no store here wants and
        // no container's name links any more (a root shared with another store's host keeps that
        // host's files while its containers link them)
        for (String name : shared.existing()) {
            if (!wanted.networks().containsKey(name)) {
                Path f = shared.dir().resolve(name);
                String seen = readQuietly(f);
                if (NetworkHostsFiles.validId(name) && seen != null && seen.startsWith(HostsFiles.MARKER) && !stillLinked(f)) {
                    found("hosts file of network " + name, "no network with endpoints wants it", () -> shared.replaceIf(name, seen, null));
                } else if (name.startsWith(".hosts-") && name.endsWith(".tmp")) {
                    found("file " + f, "a temporary file an interrupted writer left", () -> deleteQuietly(f));
                }
            }
        }
    }

    /** A file that differs from its records: what of the wanted files it is, and its repair. */
    private record Differing(String subject, java.util.function.Function<NameOps.WantedFiles, Object> pick, Runnable fix) {}

    /** True if, after this run's repairs, a container's name still links {@code f} (a report-only run counts the stale names as gone). */
    private boolean stillLinked(Path f) {
        try {
            int links = ((Number) Files.getAttribute(f, "unix:nlink", java.nio.file.LinkOption.NOFOLLOW_LINKS)).intValue();
            return links > 1 && repair;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String readQuietly(Path f) {
        try {
            return Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Files.readString(f) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
