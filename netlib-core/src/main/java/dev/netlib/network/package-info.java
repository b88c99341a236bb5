/**
 * Docker's network model on one host, as a library: {@link dev.netlib.network.Networks} is the entry
 * point, made from a {@link dev.netlib.Netlib} handle on the host namespace (the machine's, or a
 * sandbox namespace playing a host) and an {@link dev.netlib.ipam.IpamStore}.
 *
 * <ul>
 *   <li>Networks: {@code bridge} (a Linux bridge with the gateway address, masquerade, isolation from
 *       the other bridges, optional ICC off) and {@code macvlan} (bridge mode on an uplink, the LAN's
 *       router as gateway); the default network {@code bridge} (docker0, 172.17.0.0/16) on demand;
 *       subnets from Docker's default pools unless given. {@link dev.netlib.network.DriverKind#OVERLAY}
 *       is reserved: a driver is a strategy behind a sealed interface.</li>
 *   <li>Endpoints: a veth whose peer is born inside the container namespace as eth0, eth1... with its
 *       MAC (02:42 + the IPv4 address) in the same request as the host end's enslavement; address,
 *       default route (first network only) and lo in one batch; aliases; published ports.</li>
 *   <li>Names: on user-defined networks peers resolve each other by name and alias ({@link
 *       dev.netlib.network.Networks#resolve}) and find each other in {@code /etc/netns/NAME/hosts}.</li>
 *   <li>Modes: {@code none}, {@code host}, {@code container:OTHER}.</li>
 * </ul>
 *
 * <p>Layout: {@link dev.netlib.network.Networks} is a thin facade over operation classes
 * (NetworkOps, EndpointOps, NameOps, ContainerOps, Reconciler) that share one host context (Host,
 * seen by drivers as the public {@link dev.netlib.network.HostContext}); a {@link
 * dev.netlib.network.Driver} (bridge, macvlan; overlay plugs in through {@code Networks.Builder#driver})
 * builds the kernel side and names its links before making them. Every composite operation runs
 * through one OperationRunner: a pending note carrying its owner (boot id, pid, process start time,
 * operation number) is stored before the first change, each step registers its exact compensation
 * in a {@link dev.netlib.network.Journal}, and a failure undoes exactly what this operation did.
 * Records are small independent keys (one per network, endpoint, index entry, address lease), so
 * processes sharing a store work side by side; {@link dev.netlib.network.Networks#reconcile} finishes
 * or rolls back only the work of owners that are provably gone, and compares store and kernel both ways.
 * An owner is proven alive by /proc on its own machine (pid and start time), and on other machines by
 * its process's store lease when the store offers one ({@link dev.netlib.ipam.ProcessLease}, etcd);
 * the work of a dead owner of another machine is finished or rolled back in the store only.
 *
 * <p>Hosts files: a network whose names resolve has one file, {@code /etc/netns/.netlib-networks/ID},
 * edited in place one line per connect or disconnect; a container on that network only has as its
 * {@code /etc/netns/NS/hosts} a hard link to it, a container on several networks a file of its own.
 */
package dev.netlib.network;
