package dev.netlib;

import dev.netlib.error.BackendUnavailableException;
import dev.netlib.error.Errno;
import dev.netlib.error.NetlibException;
import dev.netlib.error.NotFoundException;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.NetnsRef;
import dev.netlib.spi.Backend;
import dev.netlib.spi.NamespaceAccess;
import dev.netlib.value.InterfaceName;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

/**
 * The entry point: a handle bound to one network namespace. Everything done through it happens in
 * that namespace; {@link #in(Namespace)} gives a handle for another one. There is no global
 * handle: open one, use it from any thread, close it.
 *
 * <pre>{@code
 * try (Netlib host = Netlib.open();
 *      Namespace ns1 = host.namespaces().create("ns1")) {
 *     host.bridge("lxcbr0").up().create().addAddress("192.168.10.1/24");
 *     host.veth("lxcbr0.1").master("lxcbr0").up()
 *         .peer("eth0", peer -> peer.namespace(ns1).up())
 *         .create();
 *     Netlib inside = host.in(ns1);
 *     inside.link("lo").up();
 *     inside.addresses().add("eth0", "192.168.10.11/24");
 *     inside.routes().addDefault("192.168.10.1");
 * }
 * }</pre>
 */
public final class Netlib implements AutoCloseable, NamespaceAccess {
    private final Backend backend;
    private final Namespace namespace;
    private final boolean ownsBackend;
    /** Namespaces created through this root handle or its {@link #in} handles; null for an {@link #in} handle. */
    private final OwnedNamespaces created;
    private final OwnedNamespaces shared;

    private Netlib(Backend backend, Namespace namespace, boolean ownsBackend, OwnedNamespaces created, OwnedNamespaces shared) {
        this.backend = backend;
        this.namespace = namespace;
        this.ownsBackend = ownsBackend;
        this.created = created;
        this.shared = shared;
    }

    private static Netlib root(Backend backend, boolean ownsBackend) {
        OwnedNamespaces owned = new OwnedNamespaces();
        return new Netlib(backend, new Namespace(backend, backend.root(), false, true), ownsBackend, owned, owned);
    }

    /**
     * Opens the Linux backend (found through {@link ServiceLoader}; it is in the netlib-native
     * artifact) bound to the caller's current network namespace. Closing the handle closes the
     * backend.
     */
    public static Netlib open() {
        return root(loadBackend(), true);
    }

    /**
     * Opens a handle on the given backend, e.g. a {@code FakeKernel} in unit tests. The caller keeps
     * ownership of the backend: closing the handle does not close it.
     */
    public static Netlib open(Backend backend) {
        Objects.requireNonNull(backend, "backend");
        return root(backend, false);
    }

    private static Backend loadBackend() {
        try {
            Iterator<Backend> it = ServiceLoader.load(Backend.class, Netlib.class.getClassLoader()).iterator();
            if (it.hasNext()) {
                return it.next();
            }
        } catch (ServiceConfigurationError e) {
            throw new BackendUnavailableException("the netlib backend could not be started: " + e.getMessage(), e);
        }
        throw new BackendUnavailableException("no netlib backend on the class path: add the artifact dev.netlib:netlib-native "
                + "(the Linux backend) as a dependency, or pass a backend explicitly, e.g. Netlib.open(new FakeKernel())");
    }

    /** A handle bound to another namespace, sharing this handle's backend. Closing it closes nothing shared. */
    public Netlib in(Namespace other) {
        Objects.requireNonNull(other, "namespace");
        other.ensureOpen();
        if (other.backend() != backend) {
            throw new NetlibException(other + " belongs to another backend");
        }
        return new Netlib(backend, other, false, null, shared);
    }

    /** The namespace this handle acts in. */
    public Namespace namespace() {
        return namespace;
    }

    /**
     * The backend, for SPI-level code. Public, not hidden, for a reason: netlib's own layers
     * outside this package (NAT, networks, the test kit) reach the kernel through it as
     * {@link NamespaceAccess}, and a test may ask whether it runs on {@code FakeKernel}
     * ({@code netlib.backend() instanceof FakeKernel fake}) to inject faults. Ordinary use needs
     * none of it: every kernel object has a typed method here.
     *
     * @return the backend this handle works through
     */
    @Override
    public Backend backend() {
        return backend;
    }

    /**
     * The backend's reference to this handle's namespace, for SPI-level code (see
     * {@link #backend()} for why it is public); fails once the namespace was closed.
     *
     * @return the namespace's reference
     */
    @Override
    public NetnsRef ref() {
        namespace.ensureOpen();
        return namespace.ref();
    }

    /** Creating, opening and listing namespaces. */
    public Namespaces namespaces() {
        return new Namespaces(backend, shared);
    }

    // ---- links ------------------------------------------------------------------------------

    /** A new bridge, inert until {@link BridgeBuilder#create()}. Equivalent to: {@code ip link add NAME type bridge}. */
    public BridgeBuilder bridge(String name) {
        return new BridgeBuilder(this, name);
    }

    /** A new veth pair, inert until {@link VethBuilder#create()}. Equivalent to: {@code ip link add NAME type veth peer name PEER}. */
    public VethBuilder veth(String name) {
        return new VethBuilder(this, name);
    }

    /** A new VXLAN device, inert until {@link VxlanBuilder#create()}. Equivalent to: {@code ip link add NAME type vxlan id VNI dstport 4789}. */
    public VxlanBuilder vxlan(String name) {
        return new VxlanBuilder(this, name);
    }

    /** A new macvlan device on a parent link. Equivalent to: {@code ip link add link PARENT name NAME type macvlan mode MODE}. */
    public MacvlanBuilder macvlan(String name) {
        return new MacvlanBuilder(this, name);
    }

    /** A new dummy device. Equivalent to: {@code ip link add NAME type dummy}. */
    public DummyBuilder dummy(String name) {
        return new DummyBuilder(this, name);
    }

    /**
     * A handle on an existing link of this namespace; fails with {@link NotFoundException} if there
     * is none. Equivalent to: {@code ip link show dev NAME}.
     */
    public Link link(String name) {
        InterfaceName.validate(name);
        if (backend.link(ref(), name).isEmpty()) {
            throw new NotFoundException(Errno.ENODEV, "ip link show dev " + name, "no link named " + name + " in " + namespace);
        }
        return new Link(this, name);
    }

    /** The link named {@code name}, if it exists. Equivalent to: {@code ip link show dev NAME}. */
    public Optional<LinkInfo> findLink(String name) {
        InterfaceName.validate(name);
        return backend.link(ref(), name);
    }

    /**
     * All links of this namespace with kind, index, MTU, MAC, state, master and, for a veth, its
     * peer's index and namespace id. Equivalent to: {@code ip -d link show}.
     */
    public List<LinkInfo> links() {
        return backend.links(ref());
    }

    /**
     * Deletes every link of a device group in one request; the kernel tears them down as one batch
     * (about 1 ms a link, where deleting veths one by one costs about 16 ms each). Veth peers in
     * other namespaces go with them.
     *
     * <p>Equivalent to: {@code ip link del group GROUP}.
     */
    public void deleteLinkGroup(int group) {
        if (group <= 0) {
            throw new dev.netlib.error.InvalidConfigException("device group " + group + " cannot be deleted in bulk; allowed 1.."
                    + Integer.MAX_VALUE + " (group 0 is the default group of every link)");
        }
        KernelCalls.apply(backend, ref(), new dev.netlib.spi.change.DeleteLinkGroup(group));
    }

    /** Addresses of this namespace. */
    public Addresses addresses() {
        return new Addresses(this);
    }

    /** Routes of this namespace. */
    public Routes routes() {
        return new Routes(this);
    }

    /** Neighbour (ARP/NDP) entries of this namespace. */
    public Neighbors neighbors() {
        return new Neighbors(this);
    }

    /** Bridge forwarding database entries of this namespace. */
    public Fdb fdb() {
        return new Fdb(this);
    }

    /** Sysctls of this namespace (e.g. net.ipv4.ip_forward). */
    public Sysctls sysctls() {
        return new Sysctls(this);
    }

    /**
     * NAT, port publishing and isolation rules of this namespace, kept in netlib's own nftables
     * table {@code netlib}. Equivalent to: {@code nft ... table ip netlib}.
     */
    public dev.netlib.nat.Nat nat() {
        return dev.netlib.nat.Nat.of(this);
    }

    /**
     * Several changes sent together: the Linux backend puts them in one send and reads the acks
     * afterwards. Equivalent to: {@code ip -batch FILE}.
     */
    public Batch batch() {
        return new Batch(this);
    }

    /** Runs {@code task} inside this handle's namespace on a thread netlib owns. See {@link Namespace#run(Callable)}. */
    public <T> T run(Callable<T> task) {
        return namespace.run(task);
    }

    /**
     * Closes the root handle: first deletes the namespaces created through it (or its {@link #in}
     * handles) that are still owned and open, as their own {@link Namespace#close()} would, then
     * closes the backend if this handle opened it ({@link #open()}). The same on every backend, so
     * closing the handle before a namespace it made leaves no namespace behind; that namespace's
     * handle is then closed and closing it again does nothing. A handle from {@link #in} closes
     * nothing.
     *
     * <p>Equivalent to: {@code ip netns del NAME} for each namespace still owned.
     */
    @Override
    public void close() {
        if (created == null) {
            return;
        }
        try {
            created.deleteAll();
        } finally {
            if (ownsBackend) {
                backend.close();
            }
        }
    }

    @Override
    public String toString() {
        return "Netlib[" + backend.name() + ", " + namespace + "]";
    }
}
