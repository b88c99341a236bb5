package dev.netlib.spi.nft;

/**
 * One kernel rule of a {@link FirewallRule}, in the form {@code nft list} prints it (without
 * handle), so logs, dry runs and the differential tests compare like with like.
 */
public record NftRuleText(NftChain chain, String text) {

    /** Equivalent to: {@code nft add rule ip netlib prerouting TEXT}. */
    public String addCommand() {
        return "nft add rule " + chain.family() + " " + NftLayout.TABLE + " " + chain.name() + " " + text;
    }

    /** Equivalent to: {@code nft delete rule ip netlib prerouting handle H} (handle learned when added). */
    public String deleteCommand(String handle) {
        return "nft delete rule " + chain.family() + " " + NftLayout.TABLE + " " + chain.name() + " handle " + handle + " # " + text;
    }
}
