package dev.netlib.overlay;

/**
 * Where overlay state lives in the cluster store, under a prefix (default {@value #DEFAULT_PREFIX}).
 * Values are {@link dev.netlib.ipam.StoredFields} text.
 *
 * <pre>
 * PREFIX hosts/HOST                 leased  vtep, underlayMtu, bootId
 * PREFIX networks/NETID             durable name, subnet, gateway, vni, mtu, state (active|deleting)
 * PREFIX network-names/NAME         durable NETID            (unique names)
 * PREFIX vni/VNI                    durable NETID            (unique VNIs; exists iff the network does)
 * PREFIX subnet-fence               durable NETID            (the last network created: its mod revision,
 *                                                            compared by every create, makes the subnet
 *                                                            overlap check atomic across hosts)
 * PREFIX ipam/ipam/pools/NETID      durable IpPool record    (addresses; never leased)
 * PREFIX endpoints/NETID/EPID       leased  host, vtep, ip, mac, name, bootId, aliases (comma-separated; may be absent)
 * PREFIX names/NETID/NAME           leased  EPID             (unique container names per network)
 * PREFIX owners/NETID/EPID          durable HOST             (which host an endpoint lives on, also while it is down)
 * </pre>
 *
 * "leased" keys are bound to the owning host's lease: they vanish within the lease's TTL when the
 * host dies, and at once when it closes.
 */
final class Keys {
    /** The default prefix of every overlay key. */
    static final String DEFAULT_PREFIX = "netlib/v1/";

    final String prefix;

    Keys(String prefix) {
        this.prefix = prefix;
    }

    String hosts() {
        return prefix + "hosts/";
    }

    String host(HostId h) {
        return hosts() + h.value();
    }

    String networks() {
        return prefix + "networks/";
    }

    String network(String id) {
        return networks() + id;
    }

    String networkName(String name) {
        return prefix + "network-names/" + name;
    }

    String vnis() {
        return prefix + "vni/";
    }

    String vni(int vni) {
        return vnis() + vni;
    }

    /** The key every network creation rewrites and compares (see {@link Catalog#create}). */
    String subnetFence() {
        return prefix + "subnet-fence";
    }

    String ipam() {
        return prefix + "ipam/";
    }

    String endpoints() {
        return prefix + "endpoints/";
    }

    String endpoints(String netId) {
        return endpoints() + netId + "/";
    }

    String endpoint(String netId, String epId) {
        return endpoints(netId) + epId;
    }

    String owner(String netId, String epId) {
        return prefix + "owners/" + netId + "/" + epId;
    }

    String names(String netId) {
        return prefix + "names/" + netId + "/";
    }

    String name(String netId, String name) {
        return names(netId) + name;
    }
}
