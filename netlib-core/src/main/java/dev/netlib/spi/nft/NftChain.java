package dev.netlib.spi.nft;

/**
 * One chain of netlib's own table: a base chain (with type, hook and priority) or a regular chain
 * reached by jumps ({@code type} and {@code hook} null). The chains are part of the table's fixed
 * layout ({@link NftLayout}): created with the table, removed with it once it is empty.
 *
 * @param family   nftables family word: {@code ip}
 * @param name     chain name inside table {@value NftLayout#TABLE}
 * @param type     {@code nat} or {@code filter}; null for a regular chain
 * @param hook     netfilter hook name; null for a regular chain
 * @param priority hook priority (nat prerouting/output -100 = dstnat, postrouting 100 = srcnat)
 */
public record NftChain(String family, String name, String type, String hook, int priority) {

    /** A regular chain (no hook), entered by jumps. */
    public static NftChain regular(String family, String name) {
        return new NftChain(family, name, null, null, 0);
    }

    /** True for a base chain (hooked into the netfilter path), false for a regular chain jumped to. */
    public boolean isBase() {
        return hook != null;
    }

    /** Equivalent to: {@code nft add chain ip netlib prerouting { type nat hook prerouting priority -100; policy accept; }}. */
    public String addCommand() {
        String c = "nft add chain " + family + " " + NftLayout.TABLE + " " + name;
        return isBase() ? c + " " + NftCommands.quote("{ type " + type + " hook " + hook + " priority " + priority + "; policy accept; }") : c;
    }

    /** Equivalent to: {@code nft delete chain ip netlib NAME} (its rules go with it). */
    public String deleteCommand() {
        return "nft delete chain " + family + " " + NftLayout.TABLE + " " + name;
    }
}
