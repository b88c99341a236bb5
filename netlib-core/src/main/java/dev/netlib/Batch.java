package dev.netlib;

import dev.netlib.model.Ipv6AddrGenMode;
import dev.netlib.model.LinkAttributes;
import dev.netlib.model.RouteSpec;
import dev.netlib.spi.change.AddAddress;
import dev.netlib.spi.change.AddRoute;
import dev.netlib.spi.change.Commands;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.spi.change.SetLink;
import dev.netlib.value.InterfaceName;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Changes collected and sent together: the Linux backend writes them in one send and reads all
 * acks afterwards. Every change is attempted even if an earlier one fails (as the kernel does with
 * pipelined requests), so batch only changes that do not depend on each other's success, such as
 * the steps that finish a fresh container namespace.
 */
public final class Batch {
    private final Netlib netlib;
    private final List<KernelChange> changes = new ArrayList<>();

    Batch(Netlib netlib) {
        this.netlib = netlib;
    }

    /** Equivalent to: {@code ip link set dev NAME up}. */
    public Batch linkUp(String name) {
        changes.add(SetLink.of(InterfaceName.validate(name), LinkAttributes.NONE.withUp(true)));
        return this;
    }

    /** Equivalent to: {@code ip addr add PREFIX dev DEVICE}. */
    public Batch addAddress(String device, String prefix) {
        changes.add(new AddAddress(InterfaceName.validate(device), IpPrefix.parse(prefix)));
        return this;
    }

    /** Equivalent to: {@code ip route add default via GATEWAY}. */
    public Batch addDefaultRoute(String gateway) {
        var gw = IpAddresses.parse(gateway);
        var dst = IpPrefix.parse(IpAddresses.isIpv6(gw) ? "::/0" : "0.0.0.0/0");
        changes.add(new AddRoute(new RouteSpec(dst, gw, null, null, null, null), false));
        return this;
    }

    /**
     * Brings a link up with the given IPv6 address generation mode set first, so that with
     * {@link Ipv6AddrGenMode#NONE} no link-local address is ever made (a container's eth0 that
     * gets its addresses from netlib). Equivalent to: {@code ip link set dev NAME addrgenmode MODE up}.
     *
     * @param name the link
     * @param addrGenMode the mode to set before the link comes up
     * @return this batch
     */
    public Batch linkUp(String name, Ipv6AddrGenMode addrGenMode) {
        changes.add(SetLink.of(InterfaceName.validate(name),
                LinkAttributes.NONE.withAddrGenMode(Objects.requireNonNull(addrGenMode, "addrGenMode")).withUp(true)));
        return this;
    }

    /** Any change: for this package only, so the public batch hands out no SPI type. */
    Batch add(KernelChange change) {
        changes.add(change);
        return this;
    }

    /** The equivalent {@code ip -batch} lines. */
    public List<String> commands() {
        return changes.stream().map(c -> Commands.of(netlib.ref(), c)).toList();
    }

    /** Sends everything in one round trip. Equivalent to: {@code ip -batch FILE}. */
    public void apply() {
        KernelCalls.apply(netlib.backend(), netlib.ref(), List.copyOf(changes));
        changes.clear();
    }
}
