package dev.netlib.network;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.value.InterfaceName;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;

/**
 * A network being described; inert until {@link #create()}. Obtained from {@link Networks#create(String)}.
 *
 * <pre>{@code
 * networks.create("my_net2").subnet("172.20.18.0/24").create();
 * networks.create("lan").driver(DriverKind.MACVLAN).parent("eth0").subnet("192.168.1.0/24").gateway("192.168.1.1").create();
 * }</pre>
 */
public final class NetworkBuilder {
    private final Ops ops;
    private final String name;
    private DriverKind driver = DriverKind.BRIDGE;
    private IpPrefix subnet;
    private InetAddress gateway;
    private String device;
    private Integer mtu;
    private boolean icc = true;
    private boolean masquerade = true;
    private boolean internal;

    NetworkBuilder(Ops ops, String name) {
        this.ops = ops;
        this.name = Names.check("network", name);
    }

    /** Equivalent to: {@code docker network create --driver bridge|macvlan}. */
    public NetworkBuilder driver(DriverKind driver) {
        this.driver = java.util.Objects.requireNonNull(driver, "driver");
        return this;
    }

    /** The subnet; without one the next free default pool is used. Equivalent to: {@code --subnet 172.20.18.0/24}. */
    public NetworkBuilder subnet(String subnet) {
        IpPrefix p = IpPrefix.parseSubnet(subnet);
        if (!p.isIpv4()) {
            throw new InvalidConfigException("subnet " + subnet + " is IPv6; networks are IPv4 for now");
        }
        if (p.length() > 30) {
            throw new InvalidConfigException("subnet " + subnet + " is too small: a network needs a gateway and at least one container (/30 or larger)");
        }
        this.subnet = p;
        return this;
    }

    /** The gateway; default the first host address of the subnet. Equivalent to: {@code --gateway 172.20.18.1}. */
    public NetworkBuilder gateway(String gateway) {
        this.gateway = IpAddresses.parse(gateway);
        return this;
    }

    /** The bridge device's name; default {@code br-} and the id's first 12 digits. Equivalent to: {@code -o com.docker.network.bridge.name=NAME}. */
    public NetworkBuilder bridgeName(String name) {
        this.device = InterfaceName.validate(name);
        return this;
    }

    /** The macvlan parent (uplink). Equivalent to: {@code -o parent=eth0}. */
    public NetworkBuilder parent(String link) {
        this.device = InterfaceName.validate(link);
        return this;
    }

    /** Equivalent to: {@code -o com.docker.network.driver.mtu=MTU}. */
    public NetworkBuilder mtu(int mtu) {
        if (mtu < 68 || mtu > 65535) {
            throw new InvalidConfigException("MTU " + mtu + " is out of range; allowed 68..65535");
        }
        this.mtu = mtu;
        return this;
    }

    /** Inter-container communication. Equivalent to: {@code -o com.docker.network.bridge.enable_icc=true|false}. */
    public NetworkBuilder icc(boolean enabled) {
        this.icc = enabled;
        return this;
    }

    /** Equivalent to: {@code -o com.docker.network.bridge.enable_ip_masquerade=true|false}. */
    public NetworkBuilder masquerade(boolean enabled) {
        this.masquerade = enabled;
        return this;
    }

    /** No outside access. Equivalent to: {@code docker network create --internal}. */
    public NetworkBuilder internal(boolean internal) {
        this.internal = internal;
        return this;
    }

    /**
     * Creates the network, all or nothing: subnet lease, bridge with the gateway address, rules and
     * definition; if any step fails the earlier ones are undone before the exception leaves.
     *
     * <p>Equivalent to: {@code docker network create NAME}, i.e. {@code ip link add br-ID type bridge},
     * {@code ip addr add GATEWAY/LEN dev br-ID}, {@code ip link set br-ID up}, and the nft rules.
     */
    public Network create() {
        return new Network(ops, ops.networks().create(new NetworkRequest(name, driver, subnet, gateway, device, mtu, icc, masquerade,
                internal, false)));
    }
}
