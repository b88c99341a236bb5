package dev.netlib.fake;

import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-namespace sysctls the fake knows, with the values a fresh Linux 6.x namespace has
 * (read from one with {@code ip netns exec NS sysctl}). Unknown keys fail with ENOENT, as the
 * missing /proc/sys file does; a value that is not a number fails with EINVAL, as proc_dointvec does.
 */
final class FakeSysctls {
    private FakeSysctls() {}

    /** Namespace-wide keys (not per device) and their defaults. */
    private static final Map<String, String> GLOBAL = new LinkedHashMap<>();
    /** The per-device key of addrconf's disable_ipv6 switch, as {@link FakeNamespace#deviceSysctls} holds it. */
    static final String DISABLE_IPV6 = "ipv6.disable_ipv6";
    /** Per-device keys: the part after net.ipv4.conf.DEV. or net.ipv6.conf.DEV., with defaults. */
    static final Map<String, String> IPV4_CONF = new LinkedHashMap<>();
    static final Map<String, String> IPV6_CONF = new LinkedHashMap<>();
    /** Keys whose value is two numbers (written with any whitespace, read back tab-separated). */
    private static final List<String> PAIRS = List.of("net.ipv4.ping_group_range", "net.ipv4.ip_local_port_range");

    static {
        GLOBAL.put("net.ipv4.ip_forward", "0");
        GLOBAL.put("net.ipv4.ip_unprivileged_port_start", "1024");
        GLOBAL.put("net.ipv4.ping_group_range", "1\t0");
        GLOBAL.put("net.ipv4.ip_local_port_range", "32768\t60999");
        GLOBAL.put("net.ipv4.tcp_syncookies", "1");
        GLOBAL.put("net.core.somaxconn", "4096");
        IPV4_CONF.put("forwarding", "0");
        IPV4_CONF.put("rp_filter", "0");
        IPV4_CONF.put("proxy_arp", "0");
        IPV4_CONF.put("route_localnet", "0");
        IPV4_CONF.put("arp_ignore", "0");
        IPV4_CONF.put("send_redirects", "1");
        IPV6_CONF.put("forwarding", "0");
        IPV6_CONF.put("disable_ipv6", "0");
        IPV6_CONF.put("accept_ra", "1");
        IPV6_CONF.put("addr_gen_mode", "0");
        IPV6_CONF.put("keep_addr_on_down", "0");
    }

    static void initNamespace(FakeNamespace ns) {
        ns.sysctls.putAll(GLOBAL);
        for (String dev : List.of("all", "default")) {
            IPV4_CONF.forEach((k, v) -> ns.sysctls.put("net.ipv4.conf." + dev + "." + k, v));
            IPV6_CONF.forEach((k, v) -> ns.sysctls.put("net.ipv6.conf." + dev + "." + k, v));
        }
    }

    /** A new device copies the namespace's "default" values, as devinet/addrconf do on NETDEV_REGISTER. */
    static void initDevice(FakeNamespace ns, FakeLink link) {
        Map<String, String> m = new LinkedHashMap<>();
        IPV4_CONF.keySet().forEach(k -> m.put("ipv4." + k, ns.sysctls.get("net.ipv4.conf.default." + k)));
        if (link.hasIpv6) {
            IPV6_CONF.keySet().forEach(k -> m.put("ipv6." + k, ns.sysctls.get("net.ipv6.conf.default." + k)));
        }
        ns.deviceSysctls.put(link, m);
    }

    /** A fresh inet6_dev's net.ipv6.conf.DEV keys, from net.ipv6.conf.default. */
    static void initIpv6(FakeNamespace ns, FakeLink link) {
        Map<String, String> m = ns.deviceSysctls.get(link);
        IPV6_CONF.keySet().forEach(k -> m.put("ipv6." + k, ns.sysctls.get("net.ipv6.conf.default." + k)));
    }

    /** Splits a key in dotted form (a '/' inside a component stands for a '.' in a device name) or slash form. */
    static List<String> components(String key) {
        List<String> out = new ArrayList<>();
        if (key.indexOf('/') >= 0 && key.indexOf('.') < 0 || key.startsWith("net/")) {
            out.addAll(List.of(key.split("/", -1)));
        } else {
            for (String c : key.split("\\.", -1)) {
                out.add(c.replace('/', '.'));
            }
        }
        return out;
    }

    static String canonical(String key) {
        return String.join(".", components(key));
    }

    private static KernelException noSuchKey(String op, String key) {
        return KernelException.of(Errno.ENOENT, op, "/proc/sys/" + String.join("/", components(key)) + ": No such file or directory");
    }

    static String read(FakeNamespace ns, String key) {
        String op = "sysctl -n " + key;
        List<String> c = components(key);
        if (isDeviceKey(c)) {
            Map<String, String> m = device(ns, c, op, key);
            String v = m.get(c.get(1) + "." + c.get(4));
            if (v == null) {
                throw noSuchKey(op, key);
            }
            return v;
        }
        String v = ns.sysctls.get(String.join(".", c));
        if (v == null) {
            throw noSuchKey(op, key);
        }
        return v;
    }

    /** Writes a key; failures name {@code op}, the command as {@code Commands.sysctl} renders it. */
    static void write(FakeNamespace ns, String key, String value, String op) {
        List<String> c = components(key);
        String v = normalise(String.join(".", c), value, op);
        if (isDeviceKey(c)) {
            Map<String, String> m = device(ns, c, op, key);
            String k = c.get(1) + "." + c.get(4);
            if (!m.containsKey(k)) {
                throw noSuchKey(op, key);
            }
            String old = m.put(k, v);
            if (k.equals(DISABLE_IPV6) && !v.equals(old)) {
                ipv6Switched(ns, ns.byName(c.get(3)), v);
            }
            return;
        }
        String k = String.join(".", c);
        if (!ns.sysctls.containsKey(k)) {
            throw noSuchKey(op, key);
        }
        ns.sysctls.put(k, v);
        // inet_forward_change(): ip_forward and conf.all.forwarding are one switch that also sets
        // the default and every device; addrconf does the same for the IPv6 "all" switches.
        if (k.equals("net.ipv4.ip_forward") || k.equals("net.ipv4.conf.all.forwarding")) {
            propagate(ns, "ipv4", "forwarding", v);
            ns.sysctls.put("net.ipv4.ip_forward", v);
        } else if (k.equals("net.ipv6.conf.all.forwarding")) {
            propagate(ns, "ipv6", "forwarding", v);
        } else if (k.equals("net.ipv6.conf.all.disable_ipv6")) {
            propagate(ns, "ipv6", "disable_ipv6", v);
        }
    }

    private static void propagate(FakeNamespace ns, String family, String attr, String v) {
        ns.sysctls.put("net." + family + ".conf.all." + attr, v);
        ns.sysctls.put("net." + family + ".conf.default." + attr, v);
        ns.deviceSysctls.forEach((link, m) -> {
            if (m.containsKey(family + "." + attr)) {
                String old = m.put(family + "." + attr, v);
                if ((family + "." + attr).equals(DISABLE_IPV6) && !v.equals(old)) {
                    ipv6Switched(ns, link, v);
                }
            }
        });
    }

    /**
     * addrconf_disable_change(): disabling IPv6 on a device takes its IPv6 addresses, routes and
     * neighbours (addrconf_ifdown); enabling it again configures it afresh (a new link-local
     * address once it is up with carrier, made when the world settles).
     */
    private static void ipv6Switched(FakeNamespace ns, FakeLink link, String value) {
        link.ipv6Configured = false;
        if ("1".equals(value)) {
            ns.addresses.removeIf(a -> a.link() == link && a.prefix().isIpv6());
            ns.routes.removeIf(r -> r.link() == link && r.destination().isIpv6());
            ns.neighbors.removeIf(n -> n.link() == link && dev.netlib.value.IpAddresses.isIpv6(n.address()));
        } else if (link.isLoopback()) {
            // dev_disable_change() sends NETDEV_UP, and init_loopback() gives an up lo its ::1 back
            // (checked on 6.18: a lo that is down gets it when it comes up; fuzzer seed 1222)
            FakeWorld.initLoopbackIpv6(ns, link);
        }
    }

    private static boolean isDeviceKey(List<String> c) {
        return c.size() == 5 && c.get(0).equals("net") && (c.get(1).equals("ipv4") || c.get(1).equals("ipv6"))
                && c.get(2).equals("conf") && !c.get(3).equals("all") && !c.get(3).equals("default");
    }

    private static Map<String, String> device(FakeNamespace ns, List<String> c, String op, String key) {
        FakeLink link = ns.byName(c.get(3));
        if (link == null) {
            throw noSuchKey(op, key);
        }
        return ns.deviceSysctls.get(link);
    }

    private static String normalise(String key, String value, String op) {
        String[] parts = value.trim().split("\\s+");
        int expected = PAIRS.contains(key) ? 2 : 1;
        if (parts.length != expected) {
            throw KernelException.of(Errno.EINVAL, op, null);
        }
        for (String p : parts) {
            try {
                Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw KernelException.of(Errno.EINVAL, op, null);
            }
        }
        return String.join("\t", parts);
    }
}
