/**
 * rtnetlink: one constants class per kernel attribute space ({@code IflaConstants},
 * {@code IflaInfoConstants}, {@code IflaBrConstants}, {@code IflaVxlanConstants},
 * {@code IflaMacvlanConstants}, {@code VethInfoConstants}, {@code IflaInet6Constants},
 * {@code NetnsaConstants}, {@code RtnlConstants}), the link codec ({@code LinkEncoder},
 * {@code LinkDecoder}) and {@link dev.netlib.linux.internal.rtnl.Rtnl}, which applies SPI changes and
 * reads state for one namespace over one socket.
 *
 * <p>Hooks: {@code Rtnl.apply} hands address, route, neighbour and FDB changes to
 * {@code AddressMessages}, {@code RouteMessages}, {@code NeighborMessages} and
 * {@code FdbMessages} ({@code encode(MessageWriter, KernelChange, LinkIndexResolver)} and
 * {@code dump(NetlinkSocket, IntFunction<String>)}); encoders resolve names through the
 * {@link dev.netlib.linux.internal.rtnl.LinkIndexResolver} before beginning a message.
 *
 * <p>Kernel behaviour the link codec works around (Linux 6.x): a veth peer's IFF_UP at creation
 * fails with ENOTCONN and its IFLA_MASTER / IFLA_AF_SPEC are ignored, so a peer born in another
 * namespace that must come up or join a master is created as the main device there; IFLA_AF_SPEC
 * (addrgenmode) is refused at creation, so it follows in a second request before "up". A peer
 * born in another namespace cannot get an addrgenmode from here: see
 * {@code LinkEncoder.peerFollowUp}.
 *
 * <p>Internal: not API (see the package {@code dev.netlib.linux}); it changes in any release.
 */
package dev.netlib.linux.internal.rtnl;
