package dev.netlib.spi.nft;

/**
 * One base chain of netlib's own table. netlib keeps one chain per hook it needs and creates it
 * with the first rule that goes there; the chain is deleted with its last rule and the table with
 * its last chain, so an idle netlib leaves no trace in the ruleset.
 *
 * @param family   nftables family word: {@code ip} or {@code bridge}
 * @param name     chain name inside table {@value NftLayout#TABLE}
 * @param type     {@code nat} or {@code filter}
 * @param hook     netfilter hook name
 * @param priority hook priority (nat prerouting/output -100 = dstnat, postrouting 100 = srcnat)
 */
public record NftChain(String family, String name, String type, String hook, int priority) {

    /** Equivalent to: {@code nft add table FAMILY netlib}. */
    public String addTableCommand() {
        return "nft add table " + family + " " + NftLayout.TABLE;
    }

    /** Equivalent to: {@code nft add chain ip netlib prerouting { type nat hook prerouting priority -100; policy accept; }}. */
    public String addCommand() {
        return "nft add chain " + family + " " + NftLayout.TABLE + " " + name + " { type " + type + " hook " + hook
                + " priority " + priority + "; policy accept; }";
    }

    public String deleteCommand() {
        return "nft delete chain " + family + " " + NftLayout.TABLE + " " + name;
    }

    public String deleteTableCommand() {
        return "nft delete table " + family + " " + NftLayout.TABLE;
    }
}
