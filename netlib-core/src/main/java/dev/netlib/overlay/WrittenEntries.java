package dev.netlib.overlay;

import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The neighbour and FDB entries netlib wrote into one VXLAN device, and the static entries it wrote
 * into its bridge's table on that device's port, and has not deleted since: the proof that an entry
 * is netlib's. A neighbour delete matches the address only (neigh_delete() ignores NDA_LLADDR,
 * moby#53420), and a bridge entry delete the MAC and port only (br_fdb_delete() ignores the state),
 * so an entry is deleted only while the kernel still holds exactly what is recorded here; one
 * rewritten since (by the user or another tool) is not netlib's any more.
 *
 * <p>Bound to one device by the kernel's boot id, the inode of the device's network namespace and its
 * ifindex: a record whose device was deleted and made again, that outlived a reboot, or that another
 * (simulated) host with the same host id wrote, proves nothing and is dropped when read.
 *
 * <p>Text, one fact a line: {@code boot ID}, {@code netns INODE}, {@code ifindex N}, {@code neigh IP
 * MAC}, {@code fdb MAC DST}, {@code bridge MAC}. Records written before bridge entries were recorded
 * have no {@code bridge} lines and still load: no bridge entry is then provably netlib's, and each
 * one an advert claims is written again, which records it.
 */
final class WrittenEntries {
    private final String boot;
    private final long netns;
    private final int ifindex;
    /** Neighbour address to the MAC netlib wrote for it. */
    final Map<InetAddress, MacAddress> neighbours = new LinkedHashMap<>();
    /** Remote MAC to the VTEP netlib wrote for it ({@code bridge fdb ... self dst VTEP}). */
    final Map<MacAddress, InetAddress> fdb = new LinkedHashMap<>();
    /** Remote MACs netlib wrote a static entry for in the bridge's table, on this device's port, vlan 0 ({@code bridge fdb ... master static}). */
    final Set<MacAddress> bridge = new LinkedHashSet<>();

    WrittenEntries(String boot, long netns, int ifindex) {
        this.boot = boot;
        this.netns = netns;
        this.ifindex = ifindex;
    }

    /** True if this record belongs to the device with index {@code ifindex} in namespace {@code netns} and boot {@code boot}. */
    boolean isFor(String boot, long netns, int ifindex) {
        return this.boot.equals(boot) && this.netns == netns && this.ifindex == ifindex;
    }

    WrittenEntries copy() {
        WrittenEntries c = new WrittenEntries(boot, netns, ifindex);
        c.neighbours.putAll(neighbours);
        c.fdb.putAll(fdb);
        c.bridge.addAll(bridge);
        return c;
    }

    String encode() {
        StringBuilder b = new StringBuilder("boot ").append(boot).append("\nnetns ").append(netns).append("\nifindex ").append(ifindex).append('\n');
        neighbours.forEach((ip, mac) -> b.append("neigh ").append(IpAddresses.format(ip)).append(' ').append(mac).append('\n'));
        fdb.forEach((mac, dst) -> b.append("fdb ").append(mac).append(' ').append(IpAddresses.format(dst)).append('\n'));
        bridge.forEach(mac -> b.append("bridge ").append(mac).append('\n'));
        return b.toString();
    }

    /**
     * Reads a record written by {@link #encode()}.
     *
     * @throws IllegalArgumentException if the text is not such a record (a file cut short cannot occur:
     *     records are replaced by rename, so a reader sees the old file or the new one)
     */
    static WrittenEntries decode(String text) {
        String boot = null;
        Long netns = null;
        Integer ifindex = null;
        WrittenEntries w = null;
        for (String line : text.split("\n")) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "boot" -> boot = f[1];
                case "netns" -> netns = Long.parseLong(f[1]);
                case "ifindex" -> ifindex = Integer.parseInt(f[1]);
                case "neigh" -> started(w, line).neighbours.put(IpAddresses.parse(f[1]), MacAddress.parse(f[2]));
                case "fdb" -> started(w, line).fdb.put(MacAddress.parse(f[1]), IpAddresses.parse(f[2]));
                case "bridge" -> started(w, line).bridge.add(MacAddress.parse(f[1]));
                case "" -> { }
                default -> throw new IllegalArgumentException("unknown line '" + line + "'");
            }
            if (w == null && boot != null && netns != null && ifindex != null) {
                w = new WrittenEntries(boot, netns, ifindex);
            }
        }
        if (w == null) {
            throw new IllegalArgumentException("no boot id, netns or ifindex");
        }
        return w;
    }

    private static WrittenEntries started(WrittenEntries w, String line) {
        if (w == null) {
            throw new IllegalArgumentException("entry before boot id, netns and ifindex: '" + line + "'");
        }
        return w;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WrittenEntries w && w.boot.equals(boot) && w.netns == netns && w.ifindex == ifindex && w.neighbours.equals(neighbours)
                && w.fdb.equals(fdb) && w.bridge.equals(bridge);
    }

    @Override
    public int hashCode() {
        return Objects.hash(boot, netns, ifindex, neighbours, fdb, bridge);
    }
}
