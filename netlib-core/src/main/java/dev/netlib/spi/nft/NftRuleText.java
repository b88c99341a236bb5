package dev.netlib.spi.nft;

/**
 * One kernel rule of a {@link FirewallRule}, in the form {@code nft list} prints it (without
 * handle), so logs, dry runs and the differential tests compare like with like. {@code comment}
 * is the rule's key ({@link RuleKeys}), stored with the kernel rule so netlib can read its table
 * back; null for the entry jumps, which belong to their chain.
 */
public record NftRuleText(NftChain chain, String text, String comment) {

    /** A rule of {@code chain} without a comment. */
    public NftRuleText(NftChain chain, String text) {
        this(chain, text, null);
    }

    NftRuleText withComment(String c) {
        return new NftRuleText(chain, text, c);
    }

    /** The rule as {@code nft list} prints it: the text, then {@code comment "..."} if any. */
    public String listed() {
        return comment == null ? text : text + " comment \"" + comment + "\"";
    }

    /** Equivalent to: {@code nft add rule ip netlib prerouting TEXT comment "KEY"}. */
    public String addCommand() {
        return "nft add rule " + chain.family() + " " + NftLayout.TABLE + " " + chain.name() + " " + listed();
    }

    /** Equivalent to: {@code nft delete rule ip netlib prerouting handle H} (handle learned when added). */
    public String deleteCommand(String handle) {
        return "nft delete rule " + chain.family() + " " + NftLayout.TABLE + " " + chain.name() + " handle " + handle + " # " + text;
    }
}
