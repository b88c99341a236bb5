package dev.netlib.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.KernelException;
import dev.netlib.model.LinkInfo;
import dev.netlib.spi.Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lifecycle and helpers of the {@link BackendContract}. Every test works only inside namespaces it
 * creates through {@link #newNamespace()} (named {@code nlt-<random>}), which are deleted after
 * the test even when it fails: run as root on a real kernel, the suite never touches the
 * machine's own links, addresses, routes or sysctls.
 */
public abstract class ContractSupport {
    private static final Logger LOG = LoggerFactory.getLogger(ContractSupport.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Prefix of every namespace the contract suite creates (scripts/leftovers.sh looks for it). */
    public static final String PREFIX = "nlt-";

    protected Backend backend;
    /** The handle on the namespace the backend was opened in. Tests read through it, never change it. */
    protected Netlib host;
    private final List<Namespace> owned = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    /** A fresh backend for one test; closed after it. */
    protected abstract Backend createBackend();

    /**
     * The inode of the network namespace the calling thread is in. The default reads
     * /proc/thread-self/ns/net, which is right for a backend that really switches namespaces; a
     * backend that cannot (FakeKernel) overrides it.
     */
    protected long namespaceInodeOfCurrentThread() throws Exception {
        String target = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString(); // net:[4026531840]
        return Long.parseLong(target.substring(target.indexOf('[') + 1, target.indexOf(']')));
    }

    /** How long to wait for what the kernel does asynchronously (namespace cleanup, link watch). */
    protected Duration settleTimeout() {
        return Duration.ofSeconds(10);
    }

    @BeforeEach
    final void openBackend() {
        backend = createBackend();
        host = Netlib.open(backend);
    }

    @AfterEach
    final void cleanUp() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (RuntimeException e) {
                LOG.warn("could not delete {}: {}", owned.get(i), e.toString());
            }
        }
        try {
            // A test may have detached or half-deleted one of its namespaces: remove what is left by name.
            List<String> left = host.namespaces().list();
            for (String name : names) {
                if (left.contains(name)) {
                    try {
                        host.namespaces().delete(name);
                    } catch (RuntimeException e) {
                        LOG.warn("could not delete namespace {}: {}", name, e.toString());
                    }
                }
            }
        } finally {
            host.close();
            backend.close();
        }
    }

    /** A new named namespace {@code nlt-<random>}, deleted after the test. */
    protected Namespace newNamespace() {
        String name = randomName();
        names.add(name);
        Namespace ns = host.namespaces().create(name);
        owned.add(ns);
        return ns;
    }

    /** A fresh name for a namespace, remembered so it is deleted after the test if it exists. */
    protected String randomName() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        String name = PREFIX + HexFormat.of().formatHex(b);
        names.add(name);
        return name;
    }

    /** Deletes {@code ns} after the test (for namespaces a test made in another way). */
    protected <T extends Namespace> T owned(T ns) {
        owned.add(ns);
        return ns;
    }

    /** A handle on a new test namespace. */
    protected Netlib newHost() {
        return host.in(newNamespace());
    }

    protected static LinkInfo info(Netlib in, String link) {
        return in.link(link).info();
    }

    /** Asserts that {@code call} fails with a {@link KernelException} of this errno and returns it. */
    protected static KernelException assertErrno(String errno, ThrowingCallable call) {
        KernelException e = catchThrowableOfType(call, KernelException.class);
        assertThat(e).as("expected a KernelException with " + errno).isNotNull();
        assertThat(e.errno().name()).as("errno of: " + e.getMessage()).isEqualTo(errno);
        return e;
    }

    /** Retries {@code assertion} until it passes or {@link #settleTimeout()} runs out (then its failure is thrown). */
    protected void eventually(Runnable assertion) {
        long deadline = System.nanoTime() + settleTimeout().toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError | RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting", e);
            }
        }
    }
}
