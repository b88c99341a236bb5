package dev.netlib.spi.nft;

/**
 * One kernel rule of netlib's table, in the form {@code nft list} prints it (without handle), so
 * logs, dry runs and the differential tests compare like with like. {@code comment} is the owning
 * rule's key ({@link RuleKeys}), stored with the kernel rule so netlib can read its table back;
 * null for the fixed rules of the layout ({@link NftLayout#FIXED_RULES}), which belong to the table.
 *
 * @param chain   the chain the rule is in
 * @param text    the rule as nft prints it, without comment
 * @param comment the owning rule's key, or null
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

    /** Equivalent to: {@code nft add rule ip netlib postrouting 'TEXT comment "KEY"'}. */
    public String addCommand() {
        return "nft add rule " + chain.family() + " " + NftLayout.TABLE + " " + chain.name() + " " + NftCommands.quote(listed());
    }

    /** Equivalent to: {@code nft delete rule ip netlib postrouting handle H}. @param handle the kernel's rule handle */
    public String deleteCommand(long handle) {
        return "nft delete rule " + chain.family() + " " + NftLayout.TABLE + " " + chain.name() + " handle " + handle;
    }
}
