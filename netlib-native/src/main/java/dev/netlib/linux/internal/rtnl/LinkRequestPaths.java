package dev.netlib.linux.internal.rtnl;

import dev.netlib.linux.internal.netlink.AttributeNames;
import dev.netlib.linux.internal.netlink.NetlinkConstants;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Names the attribute of a link request that the kernel blamed in an extended ack
 * (NLMSGERR_ATTR_OFFS: the offset of the attribute from the start of the request's nlmsghdr), as
 * a path such as {@code IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_VXLAN_ID}.
 */
final class LinkRequestPaths {
    private LinkRequestPaths() {}

    /** The path of the attribute at {@code offset} in the RTM_*LINK message at {@code start} of {@code buf}, or null. */
    static String pathAt(ByteBuffer buf, int start, int offset) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.nativeOrder());
        if (start < 0 || start + NetlinkConstants.NLMSG_HDRLEN > b.limit()) {
            return null;
        }
        int len = b.getInt(start);
        int type = b.getShort(start + 4) & 0xffff;
        if (type < RtnlConstants.RTM_NEWLINK || type > RtnlConstants.RTM_SETLINK || len > b.limit() - start) {
            return null;
        }
        int end = start + len;
        int target = start + offset;
        return walk(b, start + NetlinkConstants.NLMSG_HDRLEN + RtnlConstants.IFINFOMSG_SIZE, end, target,
                IflaConstants.NAMES, null, "");
    }

    private static String walk(ByteBuffer b, int from, int end, int target, AttributeNames names, String kind, String prefix) {
        int off = from;
        String seenKind = kind;
        while (off + NetlinkConstants.NLA_HDRLEN <= end) {
            int len = b.getShort(off) & 0xffff;
            int type = b.getShort(off + 2) & NetlinkConstants.NLA_TYPE_MASK;
            if (len < NetlinkConstants.NLA_HDRLEN || off + len > end) {
                return null;
            }
            if (names == IflaInfoConstants.NAMES && type == IflaInfoConstants.IFLA_INFO_KIND) {
                byte[] k = new byte[len - NetlinkConstants.NLA_HDRLEN];
                b.duplicate().position(off + NetlinkConstants.NLA_HDRLEN).get(k);
                seenKind = new String(k, StandardCharsets.UTF_8).replace("\0", "");
            }
            String path = prefix + names.name(type);
            if (target == off) {
                return path;
            }
            if (target > off && target < off + len) {
                AttributeNames inner = innerNames(names, type, seenKind);
                if (inner == null) {
                    return path;
                }
                int innerFrom = off + NetlinkConstants.NLA_HDRLEN;
                if (names == VethInfoConstants.NAMES && type == VethInfoConstants.VETH_INFO_PEER) {
                    innerFrom += RtnlConstants.IFINFOMSG_SIZE; // the peer's struct ifinfomsg
                }
                String deeper = walk(b, innerFrom, off + len, target, inner, seenKind, path + "/");
                return deeper != null ? deeper : path;
            }
            off += NetlinkConstants.align(len);
        }
        return null;
    }

    private static AttributeNames innerNames(AttributeNames names, int type, String kind) {
        if (names == IflaConstants.NAMES && type == IflaConstants.IFLA_LINKINFO) {
            return IflaInfoConstants.NAMES;
        }
        if (names == IflaInfoConstants.NAMES && type == IflaInfoConstants.IFLA_INFO_DATA && kind != null) {
            return switch (kind) {
                case "bridge" -> IflaBrConstants.NAMES;
                case "vxlan" -> IflaVxlanConstants.NAMES;
                case "macvlan" -> IflaMacvlanConstants.NAMES;
                case "veth" -> VethInfoConstants.NAMES;
                default -> null;
            };
        }
        if (names == VethInfoConstants.NAMES && type == VethInfoConstants.VETH_INFO_PEER) {
            return IflaConstants.NAMES;
        }
        return null;
    }
}
