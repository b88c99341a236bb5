package dev.netlib.network;

import dev.netlib.value.InterfaceName;

/**
 * A link a network or endpoint owns in the kernel, named before it is made: written into the
 * operation's pending note, so that if its process dies {@code reconcile()} knows what to delete.
 *
 * @param netns the named namespace under /var/run/netns holding it, or null for the host namespace
 * @param name  the link's name
 */
public record KernelLink(String netns, String name) {
    /** Checks the name as the kernel would, and the namespace name as a file name under /var/run/netns. */
    public KernelLink {
        InterfaceName.validate(name);
        if (netns != null) {
            Paths.checkNetnsName(netns);
        }
    }

    /** A link in the host namespace. */
    public static KernelLink onHost(String name) {
        return new KernelLink(null, name);
    }

    String encode() {
        return (netns == null ? "" : netns) + "|" + name;
    }

    static KernelLink decode(String text) {
        int bar = text.indexOf('|');
        if (bar < 0) {
            throw new dev.netlib.error.InvalidConfigException("link '" + text + "' is not NETNS|NAME");
        }
        String ns = text.substring(0, bar);
        return new KernelLink(ns.isEmpty() ? null : ns, text.substring(bar + 1));
    }
}
