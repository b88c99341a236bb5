package dev.netlib.spi.change;

import dev.netlib.model.LinkAttributes;
import dev.netlib.spi.NetnsRef;

/** Helpers that render changes as iproute2 command lines. */
public final class Commands {
    private Commands() {}

    /** Inserts {@code -n NAME} after the program name ({@code ip} or {@code bridge}); unchanged for null. */
    public static String inNamespace(String command, String namespaceName) {
        if (namespaceName == null) {
            return command;
        }
        int space = command.indexOf(' ');
        return space < 0 ? command : command.substring(0, space) + " -n " + namespaceName + command.substring(space);
    }

    /** How {@code ip link ... netns X} names a namespace. */
    public static String netnsArgument(NetnsRef ns) {
        String arg = ns.ipArgument();
        return arg != null ? arg : ns.describe();
    }

    /** The generic link attributes as {@code ip link} words, in the order ip documents them. */
    static void appendAttributes(StringBuilder sb, LinkAttributes a, boolean forCreate) {
        if (a.txQueueLength() != null) {
            sb.append(" txqueuelen ").append(a.txQueueLength());
        }
        if (a.mac() != null) {
            sb.append(" address ").append(a.mac());
        }
        if (a.mtu() != null) {
            sb.append(" mtu ").append(a.mtu());
        }
        if (a.netns() != null) {
            sb.append(" netns ").append(netnsArgument(a.netns()));
        }
        if (a.group() != null) {
            sb.append(" group ").append(a.group());
        }
        if (a.master() != null) {
            sb.append(" master ").append(a.master());
        }
        if (a.addrGenMode() != null) {
            sb.append(" addrgenmode ").append(a.addrGenMode().word());
        }
        if (a.up() != null) {
            sb.append(a.up() ? " up" : " down");
        }
    }
}
