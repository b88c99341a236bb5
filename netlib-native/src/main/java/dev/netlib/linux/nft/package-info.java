/**
 * nf_tables over NETLINK_NETFILTER: netlib's own table {@code ip netlib}, never any other.
 *
 * <ul>
 *   <li>{@link dev.netlib.linux.nft.NftConstants}: kernel names and values (NFT_MSG_*, NFTA_*, NFNL_*).</li>
 *   <li>{@code expr}: one record per expression (meta, payload, cmp, bitwise, immediate with
 *       verdicts, nat, masq, counter, ct, fib, lookup), written in nft's attribute order and decoded back.</li>
 *   <li>{@link dev.netlib.linux.nft.RuleCompiler}: semantic rules of {@code dev.netlib.spi.nft} to
 *       expressions, the same ones nft generates for the rule text (golden tests).</li>
 *   <li>{@link dev.netlib.linux.nft.NftMessages} / {@link dev.netlib.linux.nft.NftDecoder}: table,
 *       chain, rule and generation messages.</li>
 *   <li>{@link dev.netlib.linux.nft.NftFirewall}: one atomic batch per change (generation-id guard,
 *       handles through NLM_F_ECHO, deletion by handle, dumps); {@link dev.netlib.linux.nft.NftFirewalls}
 *       keeps one per namespace for the Linux backend.</li>
 * </ul>
 *
 * <p>Layout: chain {@code published} (one rule per port mapping) entered by a jump from
 * {@code prerouting} and {@code output} for local destinations; {@code postrouting} for masquerade,
 * SNAT and hairpin; {@code forward} for isolation and ICC. Chains come and go with their rules, the
 * table with its chains.
 */
package dev.netlib.linux.nft;
