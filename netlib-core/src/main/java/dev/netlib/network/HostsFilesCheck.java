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
        List<Runnable> containers = new ArrayList<>();
        for (Map.Entry<String, String> w : wanted.networks().entrySet()) {
            String seen = shared.read(w.getKey());
            if (!w.getValue().equals(seen)) {
                // only if nobody rewrote it since it was read, and the records still want what they
                // wanted before it was read (an operation writes its records, then the file: its newer
                // content wins)
                differing.add(new Differing("hosts file of network " + w.getKey(), x -> x.networks().get(w.getKey()),
                        () -> shared.read(w.getKey()), () -> shared.replaceIf(w.getKey(), seen, w.getValue())));
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
                    containers.add(() -> underContainerLock(c, () -> {
                        if (stillWanted(c, w) && !host.hosts.linkedTo(netns, file)) {
                            found("hosts file of " + c, "is not the file of its network " + w.linked(),
                                    () -> journaled("link hosts of " + c, j -> host.hosts.link(j, netns, file)));
                        }
                    }));
                }
            } else if (host.hosts.isLink(netns)) {
                containers.add(() -> underContainerLock(c, () -> {
                    if (stillWanted(c, w) && host.hosts.isLink(netns)) {
                        found("hosts file of " + c, "is a network's file, but " + c + " is on several networks or on one without names",
                                () -> journaled("hosts of " + c, j -> host.hosts.write(j, netns, w.content())));
                    }
                }));
            } else {
                String seen = host.hosts.read(netns);
                if (!w.content().equals(seen)) {
                    // under the container's lock, as the links: a disconnect of its last endpoint
                    // between the second look and the repair took the file away, and a repair of a
                    // missing file made it again for a container without endpoints
                    Differing d = new Differing("hosts file of " + c, x -> x.containers().get(c),
                            () -> host.hosts.read(netns), () -> host.hosts.replaceIf(netns, seen, w.content()));
                    containers.add(() -> underContainerLock(c, () -> {
                        if (stillDiffers(d, wanted)) {
                            found(d.subject(), "differs from the store", d.fix());
                        }
                    }));
                }
            }
        }
        if ((!differing.isEmpty() || !containers.isEmpty()) && workUnderWayNow.getAsBoolean()) {
            // an operation that began after the pass read the notes writes its records, then its
            // files: one between the two has files that lag its records, and writes them itself
            return;
        }
        for (Differing d : differing) {
            if (stillDiffers(d, wanted)) {
                found(d.subject(), "differs from the store", d.fix());
            }
        }
        containers.forEach(Runnable::run);
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
                        if (name.startsWith(".hosts-") && name.endsWith(".tmp") && leftOver(f)) {
                            found("file " + f, "a temporary file an interrupted writer left", () -> deleteQuietly(f));
                        }
                    }
                } catch (java.nio.file.NoSuchFileException removedMeanwhile) {
                    continue; // with its container's last endpoint, since the root was listed: nothing left in it
                }
                Path file = dir.resolve("hosts");
                // which file, then its content: the removal takes that file only (a connect that
                // began after this look may have given the name another, or rewritten this one)
                Object key = wantedNetns.contains(netns) ? null : host.hosts.fileKey(netns);
                String content = key == null ? null : readQuietly(file);
                if (content != null && content.startsWith(HostsFiles.MARKER) && !workUnderWayNow.getAsBoolean()
                        && names.wantedFiles().containers().values().stream().noneMatch(w -> netns.equals(w.netns()))
                        && content.equals(readQuietly(file))) {
                    // (read again after the notes: a connect that began after the records were read
                    // has its file before this pass's view of the records has its endpoint; and the
                    // file last: a connect and a disconnect that both ended since the file was read
                    // took it away again, and there is nothing left to find)
                    found("hosts file of namespace " + netns, "no endpoint is in that namespace",
                            () -> journaled("remove hosts of " + netns, j -> host.hosts.removeIfSeen(j, netns, key, content)));
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
                    // read again, as above: the notes, the records, then the file (the last line's
                    // disconnect that ended since it was read took the file away)
                    if (!workUnderWayNow.getAsBoolean() && !names.wantedFiles().networks().containsKey(name) && seen.equals(readQuietly(f))
                            && !stillLinked(f)) {
                        found("hosts file of network " + name, "no network with endpoints wants it", () -> shared.replaceIf(name, seen, null));
                    }
                } else if (name.startsWith(".hosts-") && name.endsWith(".tmp") && leftOver(f)) {
                    found("file " + f, "a temporary file an interrupted writer left", () -> deleteQuietly(f));
                }
            }
        }
    }

    /**
     * True if the file of {@code d} still differs from what the records want, read again twice:
     * the notes, then the records, then the file. An operation that began after the pass read the
     * notes writes its records, then its files; one under way at a look is in its notes, one that
     * wrote a record after a look's records were read is seen at the next look (the records
     * changed, or the file now matches them): no finding, its content is its own.
     */
    private boolean stillDiffers(Differing d, NameOps.WantedFiles wanted) {
        for (int look = 0; look < 2; look++) {
            if (workUnderWayNow.getAsBoolean()) {
                return false;
            }
            Object now = d.pick().apply(names.wantedFiles());
            if (!java.util.Objects.equals(d.pick().apply(wanted), now) || wantedContent(now).equals(d.file().get())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs {@code check} (a finding and its repair) holding the container's lock ({@link
     * StoreLock}): no connect, disconnect or deletion of the container writes its file meanwhile.
     */
    private void underContainerLock(String container, Runnable check) {
        StoreLock.container(host.local, container, "reconcile the hosts file of " + container, () -> {
            check.run();
            return null;
        });
    }

    /**
     * True if no operation of a live owner is at work now and the records still want {@code w} for
     * container {@code c}, read in this order: the file read before is then not an operation's that
     * began after the pass read the notes (it writes its records, then its files) and has ended since.
     */
    private boolean stillWanted(String c, NameOps.Wanted w) {
        return !workUnderWayNow.getAsBoolean() && w.equals(names.wantedFiles().containers().get(c));
    }

    /**
     * True if the temporary file {@code f} is an interrupted writer's: no operation of a live owner
     * is at work now, and the file is still there (a writer renames its file over the hosts file as
     * it ends; the writers are operations with notes).
     */
    private boolean leftOver(Path f) {
        return !workUnderWayNow.getAsBoolean() && Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /** A file that differs from its records: what of the wanted files it is, its content read now, and its repair. */
    private record Differing(String subject, java.util.function.Function<NameOps.WantedFiles, Object> pick,
            java.util.function.Supplier<String> file, Runnable fix) {}

    /** The content a picked wanted file has (a network's content, or a container's {@link NameOps.Wanted}). */
    private static String wantedContent(Object picked) {
        return picked instanceof NameOps.Wanted w ? w.content() : String.valueOf(picked);
    }

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
