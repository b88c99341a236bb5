package dev.netlib.network;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.ipam.IpamStore;
import dev.netlib.nat.NatRule;
import java.util.List;

/**
 * What a {@link Driver} may use of the host it builds networks on: the host namespace's handle, the
 * stores, the firewall and a few host-wide switches. Narrow on purpose: a driver never sees the
 * facade, the other operations or another driver, so a new driver (overlay) plugs in beside the
 * existing ones without reaching into them.
 */
public interface HostContext {
    /** The host namespace's handle (the machine's, or a sandbox namespace playing a host). */
    Netlib host();

    /**
     * The store of networks of {@code scope}: the host's own for {@link Driver.Scope#LOCAL}, the
     * store shared by every host for {@link Driver.Scope#GLOBAL} (the same one unless configured).
     */
    IpamStore store(Driver.Scope scope);

    /** True if nftables rules are installed (masquerade, isolation, published ports). */
    boolean firewallEnabled();

    /** Installs {@code rules} in netlib's table, journaled. Equivalent to: {@code nft add rule ip netlib ...}. */
    void addRules(Journal j, List<NatRule> rules);

    /**
     * Installs those of {@code wanted} that are not installed, journaled: the undo removes exactly
     * those this call installed. A rule another writer installs meanwhile is left to it (read again,
     * not an error). Equivalent to: {@code nft add element ip netlib isolated '{ "br-a" . "br-b" }'}
     * for each one missing.
     */
    void addMissingRules(Journal j, List<NatRule> wanted);

    /** Removes those of {@code rules} that are installed, journaled. Equivalent to: {@code nft delete rule ip netlib ... handle H}. */
    void removeRules(Journal j, List<NatRule> rules);

    /** netlib's installed rules (none when the firewall is disabled). Equivalent to: {@code nft list table ip netlib}. */
    List<NatRule> installedRules();

    /**
     * Those of {@code wanted} that are not installed (none when the firewall is disabled), read by
     * their places only. Equivalent to: {@code nft get element ip netlib ...}.
     */
    List<NatRule> missingRules(List<NatRule> wanted);

    /** Every defined network of both scopes, e.g. for the isolation rules between bridges. */
    List<NetworkConfig> networks();

    /**
     * net.ipv4.ip_forward=1 in the host namespace (routed networks need it); undone if it was off.
     * Equivalent to: {@code sysctl -w net.ipv4.ip_forward=1}.
     */
    void enableForwarding(Journal j);

    /**
     * net.bridge.bridge-nf-call-iptables=1 in the host namespace, so bridged traffic passes the ip
     * hooks where the ICC rule drops it; undone if it was off. Equivalent to:
     * {@code sysctl -w net.bridge.bridge-nf-call-iptables=1}.
     */
    void enableBridgeNetfilter(Journal j);

    /**
     * Inside the container, in one batch: {@code lo} up if {@code loDown}, the endpoint's address,
     * the default route if it is this endpoint's. Equivalent to: {@code ip -n NS addr add IP/LEN dev
     * ethN; ip -n NS route add default via GATEWAY}.
     */
    void configureInside(NetworkConfig n, EndpointConfig e, Namespace container, boolean loDown);

    /** True if the container's {@code lo} exists and is down. Equivalent to: {@code ip -n NS link show lo}. */
    boolean loDown(Namespace container);
}
