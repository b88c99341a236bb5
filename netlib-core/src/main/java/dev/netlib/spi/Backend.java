package dev.netlib.spi;

import dev.netlib.model.AddressInfo;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.NetnsRef;
import dev.netlib.model.RouteInfo;
import dev.netlib.spi.change.KernelChange;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * What a kernel does for netlib: semantic requests about kernel objects, never netlink bytes.
 * Implemented by {@code FakeKernel} (in memory) and {@code LinuxBackend} (netlink and setns).
 *
 * <p>Every operation names the namespace it acts in. Implementations are thread-safe.
 * Errors are {@link dev.netlib.error.KernelException}s with the errno the Linux kernel would give.
 */
public interface Backend extends AutoCloseable {

    /** A short name for logs: {@code linux}, {@code fake}. */
    String name();

    /** The namespace the backend was opened in (the caller's at open time). Not released by {@link #release}. */
    NetnsRef root();

    // ---- namespaces -------------------------------------------------------------------------

    /**
     * Creates a network namespace. With a name it is made as {@code ip netns add NAME} makes it (a
     * bind mount at /var/run/netns/NAME); with {@code null} it is anonymous and lives as long as its
     * ref is not released (and something else keeps it alive).
     */
    NetnsRef createNamespace(String nameOrNull);

    /** Opens an existing namespace. */
    NetnsRef openNamespace(NamespaceLocator locator);

    /** Removes a named namespace's name (unmount and unlink), then releases the ref. Links inside die with it
     * once nothing else holds the namespace. For an anonymous namespace the same as {@link #release}. */
    void deleteNamespace(NetnsRef ns);

    /**
     * Removes the name of the namespace called {@code name} (unmount and unlink), whatever it
     * names now; NotFoundException when there is no such name. A backend may do it without opening
     * the namespace (iproute2 does not open it either); the default opens it and deletes the ref.
     *
     * <p>Equivalent to: {@code ip netns del NAME}.
     */
    default void deleteNamespace(String name) {
        deleteNamespace(openNamespace(new NamespaceLocator.ByName(name)));
    }

    /** Releases what the ref holds (fds, sockets) without deleting anything. Idempotent. */
    void release(NetnsRef ns);

    /** The names under /var/run/netns, sorted. */
    List<String> listNamespaces();

    /** The id the kernel gives {@code target} as seen from {@code in} (RTM_GETNSID), or -1 if it has none. */
    int namespaceId(NetnsRef in, NetnsRef target);

    /** Runs {@code task} with the calling code inside {@code ns}, on a thread the backend owns. */
    <T> T run(NetnsRef ns, Callable<T> task) throws Exception;

    // ---- changes ----------------------------------------------------------------------------

    /**
     * Applies the changes in order inside {@code ns}. As with pipelined netlink requests, every change
     * is attempted even after one fails; the first failure is then thrown as a {@link
     * dev.netlib.error.KernelException} whose {@code batchIndex} says which change failed and whose
     * {@code appliedInBatch} lists the ones that took effect. Put only changes that are safe to
     * attempt independently into one call.
     */
    void apply(NetnsRef ns, List<? extends KernelChange> changes);

    /** Applies one change inside {@code ns}; see {@link #apply(NetnsRef, List)}. */
    default void apply(NetnsRef ns, KernelChange change) {
        apply(ns, List.of(change));
    }

    // ---- state ------------------------------------------------------------------------------

    /** The links of {@code ns} (RTM_GETLINK dump). */
    List<LinkInfo> links(NetnsRef ns);

    /** One link of {@code ns} by name, or empty. */
    Optional<LinkInfo> link(NetnsRef ns, String name);

    /** The IPv4 and IPv6 addresses of {@code ns} (RTM_GETADDR dump). */
    List<AddressInfo> addresses(NetnsRef ns);

    /** Routes of all tables except the local table (255), IPv4 and IPv6. */
    List<RouteInfo> routes(NetnsRef ns);

    /** IPv4 and IPv6 neighbour entries. */
    List<NeighborInfo> neighbors(NetnsRef ns);

    /** Bridge forwarding database entries (AF_BRIDGE). */
    List<FdbInfo> fdb(NetnsRef ns);

    /** Reads a sysctl of the namespace: key in dotted ({@code net.ipv4.ip_forward}) or slash form. */
    String readSysctl(NetnsRef ns, String key);

    /** Writes a sysctl of the namespace: key in dotted or slash form. */
    void writeSysctl(NetnsRef ns, String key, String value);

    // ---- nftables (netlib's own table) ---------------------------------------------------------

    /**
     * Adds and removes rules of netlib's own nftables table {@code netlib} in {@code ns}, all in
     * one atomic batch planned against the table's current state in the kernel (never a memory of
     * earlier calls, so several processes share the table): either every change takes effect or
     * none does. The table with its fixed layout is created by the first addition and removed once
     * nothing is left in it. Other tables are never touched. Adding an installed rule fails with
     * EEXIST, removing a missing one with ENOENT.
     *
     * <p>When it throws, nothing was changed: the batch was refused, or never sent (a failure of the
     * read it is planned on, or of the plan). The one case a backend cannot rule out is a socket
     * failure while it reads the answer to a batch the kernel did commit. Work after the commit
     * (removing the emptied table) must not throw.
     *
     * <p>The default implementation supports nothing (a backend without nftables).
     *
     * @return the nft commands the change was equivalent to, in order (valid shell, for logs)
     */
    default List<String> applyFirewall(NetnsRef ns, List<dev.netlib.spi.nft.FirewallChange> changes) {
        throw new dev.netlib.error.NotSupportedException(dev.netlib.error.Errno.EOPNOTSUPP, "nft", "the " + name()
                + " backend does not manage nftables rules");
    }

    /** The rules netlib has installed in {@code ns} (by any process), read from the kernel now. */
    default List<dev.netlib.spi.nft.FirewallRule> firewallRules(NetnsRef ns) {
        throw new dev.netlib.error.NotSupportedException(dev.netlib.error.Errno.EOPNOTSUPP, "nft list table ip netlib", "the "
                + name() + " backend does not manage nftables rules");
    }

    /**
     * The rules netlib has installed in {@code ns} that hold a place one of {@code rules} takes
     * ({@link dev.netlib.spi.nft.FirewallState#holders}: the rule with the same published host port,
     * whatever its target; an installed masquerade or SNAT rule equal to one of them), read from the
     * kernel now. A backend reads those places only, so the cost grows with {@code rules}, not with
     * the table; the default reads the whole table ({@link #firewallRules}) and asks it the same.
     */
    default List<dev.netlib.spi.nft.FirewallRule> firewallRulesHolding(NetnsRef ns, List<dev.netlib.spi.nft.FirewallRule> rules) {
        return rules.isEmpty() ? List.of() : dev.netlib.spi.nft.FirewallState.of(firewallRules(ns)).holders(rules);
    }

    /** Releases every namespace ref and socket the backend holds. Kernel objects are left as they are. */
    @Override
    void close();
}
