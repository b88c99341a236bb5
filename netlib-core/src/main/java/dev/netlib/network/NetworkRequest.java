package dev.netlib.network;

import dev.netlib.value.IpPrefix;
import java.net.InetAddress;

/**
 * A network as the user described it, checked, handed from {@link NetworkBuilder} to {@link NetworkOps}.
 *
 * @param subnet  null: the next free default pool
 * @param gateway null: the subnet's first host address
 * @param device  null: {@code br-} and the id's first 12 digits (bridge); the parent (macvlan)
 * @param mtu     null: the kernel default
 */
record NetworkRequest(String name, DriverKind driver, IpPrefix subnet, InetAddress gateway, String device, Integer mtu,
        boolean icc, boolean masquerade, boolean internal, boolean defaultNetwork) {}
