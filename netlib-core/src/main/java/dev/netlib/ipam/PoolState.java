package dev.netlib.ipam;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A pool's settings and allocations as stored under one key, in a line format of our own:
 *
 * <pre>
 * netlib-ipam-pool 1
 * name net1
 * subnet 172.20.0.0/16
 * range 172.20.5.0/24          (optional)
 * gateway 172.20.0.1           (optional)
 * aux host1 172.20.0.2         (zero or more)
 * a 502 container-1            (one per allocation: offset from the network address in hex, owner)
 * last 502                     (always the final line: the sequential cursor, or "-")
 * </pre>
 *
 * Memory and size are proportional to the number of allocations, never to the pool's size. New
 * allocations are appended before the final line, so a writer that has the current text builds the
 * next one without re-encoding every allocation. Instances are mutated only by the {@link IpPool}
 * that owns them, under its lock.
 */
final class PoolState {
    static final String MAGIC = "netlib-ipam-pool 1";

    final PoolConfig config;
    final TreeMap<BigInteger, String> allocations;
    BigInteger last; // null: nothing allocated sequentially yet
    String text;
    /** Derived from the config once: sequential bounds, reserved offsets, allocatable count. */
    final BigInteger lo;
    final BigInteger hi;
    final BigInteger size;
    final TreeSet<BigInteger> reserved;

    PoolState(PoolConfig config, TreeMap<BigInteger, String> allocations, BigInteger last, String text) {
        this.config = config;
        this.lo = config.lo();
        this.hi = config.hi();
        this.size = config.size();
        this.reserved = config.reserved();
        this.allocations = allocations;
        this.last = last;
        this.text = text;
    }

    static PoolState empty(PoolConfig config) {
        PoolState s = new PoolState(config, new TreeMap<>(), null, null);
        s.text = s.encode();
        return s;
    }

    String encode() {
        StringBuilder sb = new StringBuilder(128 + allocations.size() * 24);
        sb.append(MAGIC).append('\n');
        sb.append("name ").append(config.name()).append('\n');
        sb.append("subnet ").append(config.subnet()).append('\n');
        if (config.range() != null) {
            sb.append("range ").append(config.range()).append('\n');
        }
        if (config.gateway() != null) {
            sb.append("gateway ").append(IpAddresses.format(config.gateway())).append('\n');
        }
        config.aux().forEach((k, v) -> sb.append("aux ").append(k).append(' ').append(IpAddresses.format(v)).append('\n'));
        allocations.forEach((off, owner) -> sb.append("a ").append(off.toString(16)).append(' ').append(owner).append('\n'));
        sb.append(lastLine(last));
        return sb.toString();
    }

    private static String lastLine(BigInteger last) {
        return "last " + (last == null ? "-" : last.toString(16)) + "\n";
    }

    /** The text after appending an allocation (and moving the cursor to {@code newLast}). */
    String textWith(BigInteger off, String owner, BigInteger newLast) {
        int cut = text.lastIndexOf("last ");
        return text.substring(0, cut) + "a " + off.toString(16) + " " + owner + "\n" + lastLine(newLast);
    }

    /** The text after removing one allocation line. */
    static String textWithout(String text, BigInteger off) {
        String needle = "\na " + off.toString(16) + " ";
        int start = text.indexOf(needle);
        if (start < 0) {
            throw new IllegalStateException("pool record lacks the line of allocation " + off.toString(16));
        }
        int end = text.indexOf('\n', start + needle.length());
        return text.substring(0, start + 1) + text.substring(end + 1);
    }

    static PoolState decode(String where, String text) {
        String[] lines = text.split("\n", -1);
        if (lines.length < 2 || !lines[0].equals(MAGIC) || !lines[lines.length - 1].isEmpty()) {
            throw corrupt(where, "it does not start with '" + MAGIC + "' or does not end with a newline");
        }
        String name = null;
        IpPrefix subnet = null;
        IpPrefix range = null;
        InetAddress gateway = null;
        Map<String, InetAddress> aux = new LinkedHashMap<>();
        TreeMap<BigInteger, String> allocs = new TreeMap<>();
        BigInteger last = null;
        boolean sawLast = false;
        PoolConfig config = null;
        int n = lines.length - 1;
        for (int i = 1; i < n; i++) {
            String line = lines[i];
            int sp = line.indexOf(' ');
            String tag = sp < 0 ? line : line.substring(0, sp);
            String arg = sp < 0 ? "" : line.substring(sp + 1);
            try {
                if (tag.equals("a")) {
                    if (config == null) {
                        config = new PoolConfig(name, subnet, range, gateway, aux);
                    }
                    int sp2 = arg.indexOf(' ');
                    if (sp2 <= 0 || sp2 == arg.length() - 1) {
                        throw corrupt(where, "line " + (i + 1) + " '" + line + "' is not 'a OFFSET OWNER'");
                    }
                    BigInteger off = new BigInteger(arg.substring(0, sp2), 16);
                    if (off.signum() < 0 || off.compareTo(config.subnet().size()) >= 0) {
                        throw corrupt(where, "line " + (i + 1) + " allocates offset " + off.toString(16) + " outside " + config.subnet());
                    }
                    if (allocs.put(off, arg.substring(sp2 + 1)) != null) {
                        throw corrupt(where, "line " + (i + 1) + " allocates " + IpAddresses.format(config.subnet().nth(off)) + " a second time");
                    }
                    continue;
                }
                if (config != null && !tag.equals("last")) {
                    throw corrupt(where, "line " + (i + 1) + " '" + tag + "' comes after the allocations");
                }
                switch (tag) {
                    case "name" -> name = arg;
                    case "subnet" -> subnet = IpPrefix.parse(arg);
                    case "range" -> range = IpPrefix.parse(arg);
                    case "gateway" -> gateway = IpAddresses.parse(arg);
                    case "aux" -> {
                        int sp2 = arg.indexOf(' ');
                        if (sp2 <= 0) {
                            throw corrupt(where, "line " + (i + 1) + " '" + line + "' is not 'aux NAME ADDRESS'");
                        }
                        aux.put(arg.substring(0, sp2), IpAddresses.parse(arg.substring(sp2 + 1)));
                    }
                    case "last" -> {
                        if (i != n - 1) {
                            throw corrupt(where, "line " + (i + 1) + " 'last' is not the final line");
                        }
                        last = arg.equals("-") ? null : new BigInteger(arg, 16);
                        sawLast = true;
                    }
                    default -> throw corrupt(where, "line " + (i + 1) + " has unknown tag '" + tag + "'");
                }
            } catch (NumberFormatException e) {
                throw corrupt(where, "line " + (i + 1) + " '" + line + "' has a bad hex number");
            } catch (InvalidConfigException e) {
                throw corrupt(where, "line " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (!sawLast) {
            throw corrupt(where, "the final 'last' line is missing (truncated?)");
        }
        try {
            if (config == null) {
                config = new PoolConfig(name, subnet, range, gateway, aux);
            }
        } catch (InvalidConfigException | NullPointerException e) {
            throw corrupt(where, "its settings are invalid: " + e.getMessage());
        }
        return new PoolState(config, allocs, last, text);
    }

    private static CorruptStoreException corrupt(String where, String why) {
        return new CorruptStoreException("IP pool record " + where + " is corrupt: " + why + "; it was left unchanged");
    }
}
