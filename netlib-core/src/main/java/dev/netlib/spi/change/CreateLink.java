package dev.netlib.spi.change;

import dev.netlib.model.BridgeSpec;
import dev.netlib.model.DummySpec;
import dev.netlib.model.LinkAttributes;
import dev.netlib.model.LinkKindSpec;
import dev.netlib.model.MacvlanSpec;
import dev.netlib.model.VethSpec;
import dev.netlib.model.VxlanSpec;
import dev.netlib.value.IpAddresses;
import java.util.Objects;

/** RTM_NEWLINK with NLM_F_CREATE|NLM_F_EXCL: a new link with its attributes, in one request. */
public record CreateLink(String name, LinkAttributes attributes, LinkKindSpec kind) implements KernelChange {
    public CreateLink {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        attributes = Objects.requireNonNullElse(attributes, LinkAttributes.NONE);
    }

    @Override
    public String command() {
        StringBuilder sb = new StringBuilder("ip link add");
        if (kind instanceof MacvlanSpec m && m.parent() != null) {
            sb.append(" link ").append(m.parent());
        }
        sb.append(" name ").append(name);
        Commands.appendAttributes(sb, attributes, true);
        sb.append(" type ").append(kind.kind());
        kind.accept(new LinkKindSpec.Visitor<Void>() {
            @Override
            public Void bridge(BridgeSpec b) {
                if (b.stp() != null) {
                    sb.append(" stp_state ").append(b.stp() ? 1 : 0);
                }
                if (b.vlanFiltering() != null) {
                    sb.append(" vlan_filtering ").append(b.vlanFiltering() ? 1 : 0);
                }
                return null;
            }

            @Override
            public Void veth(VethSpec v) {
                sb.append(" peer");
                if (v.peerName() != null) {
                    sb.append(" name ").append(v.peerName());
                }
                Commands.appendAttributes(sb, v.peer(), true);
                return null;
            }

            @Override
            public Void vxlan(VxlanSpec x) {
                appendVxlan(sb, x);
                return null;
            }

            @Override
            public Void macvlan(MacvlanSpec m) {
                if (m.mode() != null) {
                    sb.append(" mode ").append(m.mode().word());
                }
                return null;
            }

            @Override
            public Void dummy(DummySpec d) {
                return null; // no kind attributes
            }
        });
        return sb.toString();
    }

    private static void appendVxlan(StringBuilder sb, VxlanSpec x) {
        sb.append(" id ").append(x.vni());
        if (x.local() != null) {
            sb.append(" local ").append(IpAddresses.format(x.local()));
        }
        if (x.remote() != null) {
            sb.append(" remote ").append(IpAddresses.format(x.remote()));
        }
        if (x.group() != null) {
            sb.append(" group ").append(IpAddresses.format(x.group()));
        }
        if (x.device() != null) {
            sb.append(" dev ").append(x.device());
        }
        if (x.port() != null) {
            sb.append(" dstport ").append(x.port());
        }
        if (x.ttl() != null) {
            sb.append(" ttl ").append(x.ttl());
        }
        if (x.learning() != null) {
            sb.append(x.learning() ? " learning" : " nolearning");
        }
        if (x.proxy() != null) {
            sb.append(x.proxy() ? " proxy" : " noproxy");
        }
        if (x.l2miss() != null) {
            sb.append(x.l2miss() ? " l2miss" : " nol2miss");
        }
        if (x.l3miss() != null) {
            sb.append(x.l3miss() ? " l3miss" : " nol3miss");
        }
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.createLink(this);
    }
}
