package dev.netlib.spi.nft;

import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One field of a set or map element of netlib's table, typed as nft types it
 * ({@code ipv4_addr}, {@code inet_proto}, {@code inet_service}, {@code ifname}); a backend encodes it,
 * {@link #text()} renders it as {@code nft} prints it.
 */
public sealed interface NftValue {

    /** The field as {@code nft list} prints it. */
    String text();

    /** An IPv4 address ({@code ipv4_addr}). @param address the address */
    record Addr(InetAddress address) implements NftValue {
        /** Checks the address is there. */
        public Addr {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public String text() {
            return IpAddresses.format(address);
        }

        // equals/hashCode written out: a record's generated ones bootstrap through invokedynamic
        // on first use, a cost paid by the first nf_tables call of a JVM
        @Override
        public boolean equals(Object o) {
            return o instanceof Addr v && address.equals(v.address);
        }

        @Override
        public int hashCode() {
            return address.hashCode();
        }
    }

    /** An IPv4 network, a range of {@code ipv4_addr} (only in interval sets). @param prefix the network */
    record Net(IpPrefix prefix) implements NftValue {
        /** Checks the prefix is there. */
        public Net {
            Objects.requireNonNull(prefix, "prefix");
        }

        @Override
        public String text() {
            return Match.prefix(prefix);
        }

        // equals/hashCode written out: a record's generated ones bootstrap through invokedynamic
        // on first use, a cost paid by the first nf_tables call of a JVM
        @Override
        public boolean equals(Object o) {
            return o instanceof Net v && prefix.equals(v.prefix);
        }

        @Override
        public int hashCode() {
            return 31 + prefix.hashCode();
        }
    }

    /** A layer-4 protocol ({@code inet_proto}). @param protocol tcp or udp */
    record Proto(Protocol protocol) implements NftValue {
        /** Checks the protocol is there. */
        public Proto {
            Objects.requireNonNull(protocol, "protocol");
        }

        @Override
        public String text() {
            return protocol.word();
        }

        // equals/hashCode written out: a record's generated ones bootstrap through invokedynamic
        // on first use, a cost paid by the first nf_tables call of a JVM
        @Override
        public boolean equals(Object o) {
            return o instanceof Proto v && protocol == v.protocol;
        }

        @Override
        public int hashCode() {
            return protocol.number();
        }
    }

    /** A port ({@code inet_service}). @param port 1..65535 */
    record Port(int port) implements NftValue {
        @Override
        public String text() {
            return String.valueOf(port);
        }

        // equals/hashCode written out: a record's generated ones bootstrap through invokedynamic
        // on first use, a cost paid by the first nf_tables call of a JVM
        @Override
        public boolean equals(Object o) {
            return o instanceof Port v && port == v.port;
        }

        @Override
        public int hashCode() {
            return port * 17;
        }
    }

    /** An interface name ({@code ifname}, compared as 16 zero-padded bytes). @param name the interface name */
    record Ifname(String name) implements NftValue {
        /** Checks the name is there. */
        public Ifname {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String text() {
            return '"' + name + '"';
        }

        // equals/hashCode written out: a record's generated ones bootstrap through invokedynamic
        // on first use, a cost paid by the first nf_tables call of a JVM
        @Override
        public boolean equals(Object o) {
            return o instanceof Ifname v && name.equals(v.name);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }
    }
}
