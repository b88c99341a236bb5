package dev.netlib;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.model.FdbSpec;
import dev.netlib.spi.change.AddFdb;
import dev.netlib.spi.change.DeleteFdb;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;

/** A bridge FDB entry being described; {@link #add()}, {@link #append()}, {@link #replace()} or {@link #delete()} sends it. */
public final class FdbEntryBuilder {
    private final Netlib netlib;
    private final String device;
    private final MacAddress mac;
    private InetAddress destination;
    private Integer vni;
    private Integer vlan;
    private boolean self;
    private boolean master;
    private FdbSpec.State state = FdbSpec.State.PERMANENT;

    FdbEntryBuilder(Netlib netlib, String device, MacAddress mac) {
        this.netlib = netlib;
        this.device = device;
        this.mac = mac;
    }

    /** The remote VTEP for a vxlan entry. Equivalent to: {@code bridge fdb add MAC dev DEV dst ADDR}. */
    public FdbEntryBuilder destination(String address) {
        this.destination = IpAddresses.parse(address);
        return this;
    }

    /** Equivalent to: {@code bridge fdb add ... vni VNI}. */
    public FdbEntryBuilder vni(int vni) {
        this.vni = Validate.range("VNI", vni, 1, 0xFFFFFF);
        return this;
    }

    /**
     * One VLAN of the bridge's table (NDA_VLAN), 1 to 4094; the port must have it in its VLAN group.
     * Without it an add writes VLAN 0 and every VLAN of the port, and a delete removes those.
     * Equivalent to: {@code bridge fdb add ... vlan VID}.
     */
    public FdbEntryBuilder vlan(int vid) {
        this.vlan = Validate.range("VLAN", vid, 1, 4094); // fdb_vid_parse(): 0 and 4095 up are EINVAL
        return this;
    }

    /** The device's own table (a vxlan's MAC to VTEP map). Equivalent to: {@code bridge fdb add ... self}. */
    public FdbEntryBuilder self() {
        this.self = true;
        return this;
    }

    /** The table of the bridge the device is a port of. Equivalent to: {@code bridge fdb add ... master}. */
    public FdbEntryBuilder master() {
        this.master = true;
        return this;
    }

    /** A dynamic entry that ages out instead of a permanent one. Equivalent to: {@code bridge fdb add ... dynamic}. */
    public FdbEntryBuilder dynamic() {
        this.state = FdbSpec.State.DYNAMIC;
        return this;
    }

    /**
     * A static entry instead of a permanent one: it never ages either, but in a bridge's table
     * ({@link #master()}) frames to the MAC go out of the port, where a permanent entry would make
     * the MAC a local address of the bridge (br_fdb.c fdb_add_entry()). Equivalent to: {@code bridge
     * fdb add ... static}.
     */
    public FdbEntryBuilder staticEntry() {
        this.state = FdbSpec.State.STATIC;
        return this;
    }

    FdbSpec spec() {
        if (!self && !master) {
            self = true; // bridge(8) defaults to self when neither is given
        }
        if (mac.isZero() && destination == null) {
            throw new InvalidConfigException("the all-zero MAC is a flood entry and needs a destination VTEP: call destination(\"ADDR\")");
        }
        return new FdbSpec(device, mac, destination, vni, self, master, state, vlan);
    }

    /** Equivalent to: {@code bridge fdb add MAC dev DEVICE ...}. */
    public void add() {
        KernelCalls.apply(netlib.backend(), netlib.ref(), new AddFdb(spec(), false));
    }

    /** Adds another entry for the same MAC (flood list to several VTEPs). Equivalent to: {@code bridge fdb append MAC dev DEVICE dst ADDR}. */
    public void append() {
        if (destination == null) {
            throw new InvalidConfigException("fdb append needs a destination VTEP: call destination(\"ADDR\")");
        }
        KernelCalls.apply(netlib.backend(), netlib.ref(), new AddFdb(spec(), true));
    }

    /** Adds the entry or takes the place of the MAC's existing one (learned or not). Equivalent to: {@code bridge fdb replace MAC dev DEVICE ...}. */
    public void replace() {
        KernelCalls.apply(netlib.backend(), netlib.ref(), new AddFdb(spec(), false, true));
    }

    /** Equivalent to: {@code bridge fdb del MAC dev DEVICE ...}. */
    public void delete() {
        KernelCalls.apply(netlib.backend(), netlib.ref(), new DeleteFdb(spec()));
    }
}
