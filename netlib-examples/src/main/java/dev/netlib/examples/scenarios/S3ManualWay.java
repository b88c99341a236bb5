package dev.netlib.examples.scenarios;

import dev.netlib.Link;
import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.value.IpAddresses;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Scenario S3, "the principle of Docker networking" done by hand, as typed calls (what the seed
 * does with ip and brctl): bridge lxcbr0 with 192.168.10.1/24; namespace ns1 with lo up; veth pair
 * veth-ns1 / lxcbr0.1; veth-ns1 moved into ns1 and renamed eth0, given 192.168.10.11/24 and
 * brought up; lxcbr0.1 enslaved to the bridge; a default route in ns1 via 192.168.10.1;
 * /etc/netns/ns1/resolv.conf. Then a second interface eth1 (192.168.20.11/24) added to ns1 while
 * it is in use. All inside a sandbox "host" namespace.
 */
public final class S3ManualWay {
    /** What the run found (TCP replies are the servers' names). */
    public record Result(String eth0, String eth1, String defaultVia, String hostToNs1, String hostToEth1, String resolvConf) {}

    private S3ManualWay() {}

    public static Result run(Netlib root, boolean realTraffic, Path etcNetns, PrintStream out) {
        try (Sandbox sandbox = new Sandbox(root, "s3", etcNetns); TcpProbe servers = new TcpProbe()) {
            Namespace hostNs = sandbox.namespace("host");
            Netlib host = root.in(hostNs);
            host.link("lo").up();
            out.println("== S3: the manual way (sandbox namespaces " + sandbox.name("*") + ")");

            // brctl addbr lxcbr0; ip addr add 192.168.10.1/24 dev lxcbr0; ip link set lxcbr0 up
            host.bridge("lxcbr0").up().create().addAddress("192.168.10.1/24");
            // ip netns add ns1; ip netns exec ns1 ip link set lo up
            Namespace ns1 = sandbox.namespace("ns1");
            Netlib inside = root.in(ns1);
            inside.link("lo").up();
            // ip link add veth-ns1 type veth peer name lxcbr0.1
            host.veth("veth-ns1").peer("lxcbr0.1").create();
            // ip link set veth-ns1 netns ns1; ip netns exec ns1 ip link set veth-ns1 name eth0
            Link eth0 = host.link("veth-ns1").moveTo(ns1, "eth0");
            // ip netns exec ns1 ip addr add 192.168.10.11/24 dev eth0; ip netns exec ns1 ip link set eth0 up
            eth0.addAddress("192.168.10.11/24").up();
            // brctl addif lxcbr0 lxcbr0.1; ip link set lxcbr0.1 up
            host.link("lxcbr0.1").master("lxcbr0").up();
            // ip netns exec ns1 ip route add default via 192.168.10.1
            inside.routes().addDefault("192.168.10.1");
            // mkdir -p /etc/netns/ns1; echo nameserver 8.8.8.8 > /etc/netns/ns1/resolv.conf
            String resolv = writeResolvConf(etcNetns, ns1.name().orElseThrow());
            out.println("ns1: " + inside.links().stream().map(l -> l.displayName() + " " + l.operState()).toList()
                    + ", default via " + IpAddresses.format(inside.routes().defaults().get(0).gateway()));

            // later, while ns1 is in use: a second interface born inside it as eth1, the host end up
            host.veth("veth-ns1b").up().peer("eth1", p -> p.namespace(ns1).up()).create();
            host.addresses().add("veth-ns1b", "192.168.20.1/24");
            inside.addresses().add("eth1", "192.168.20.11/24");
            out.println("ns1 eth1: " + inside.addresses().list("eth1").stream().map(a -> a.address().toString()).toList());

            String hostToNs1 = null;
            String hostToEth1 = null;
            if (realTraffic) {
                servers.serve(ns1, "ns1");
                hostToNs1 = TcpProbe.probe(hostNs, IpAddresses.parse("192.168.10.11"), 1000);
                hostToEth1 = TcpProbe.probe(hostNs, IpAddresses.parse("192.168.20.11"), 1000);
                out.println("host -> 192.168.10.11 (eth0, through lxcbr0): " + hostToNs1 + "; host -> 192.168.20.11 (eth1): " + hostToEth1);
            }
            String eth0Address = inside.addresses().list("eth0").stream().filter(a -> a.address().isIpv4())
                    .map(a -> a.address().toString()).findFirst().orElse(null);
            String eth1Address = inside.addresses().list("eth1").stream().filter(a -> a.address().isIpv4())
                    .map(a -> a.address().toString()).findFirst().orElse(null);
            return new Result(eth0Address, eth1Address, IpAddresses.format(inside.routes().defaults().get(0).gateway()), hostToNs1,
                    hostToEth1, resolv);
        }
    }

    private static String writeResolvConf(Path etcNetns, String nsName) {
        if (etcNetns == null) {
            return null;
        }
        try {
            Path dir = etcNetns.resolve(nsName);
            Files.createDirectories(dir);
            String text = "nameserver 8.8.8.8\n";
            Files.writeString(dir.resolve("resolv.conf"), text);
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write resolv.conf for " + nsName, e);
        }
    }
}
