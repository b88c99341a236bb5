/**
 * nf_tables over NETLINK_NETFILTER: netlib's own table {@code ip netlib}, never any other.
 *
 * <ul>
 *   <li>{@link dev.netlib.linux.internal.nft.uapi.NftConstants}: kernel names and values (NFT_MSG_*, NFTA_*, NFNL_*).</li>
 *   <li>{@code expr}: one record per expression (meta, payload, cmp, bitwise, immediate with
 *       verdicts, nat, masq, counter, ct, fib, lookup), written in nft's attribute order and decoded back.</li>
 *   <li>{@link dev.netlib.linux.internal.nft.RuleCompiler}: semantic rules of {@code dev.netlib.spi.nft} to
 *       expressions, the same ones nft generates for the rule text (golden tests).</li>
 *   <li>{@link dev.netlib.linux.internal.nft.NftMessages} / {@link dev.netlib.linux.internal.nft.NftDecoder}: table,
 *       chain, rule and generation messages.</li>
 *   <li>{@code NftSetMessages}, {@code NftSets}, {@code NftValues}: the
 *       layout's sets and maps and their elements.</li>
 *   <li>{@link dev.netlib.linux.internal.nft.NftFirewall}: one generation-guarded batch per change, planned on
 *       the kernel's state read just before ({@code NftState}); the table removed once empty;
 *       {@code NftTableReader} reads the table back in any process. {@link dev.netlib.linux.internal.nft.NftFirewalls}
 *       keeps one socket per namespace for the Linux backend (no rule cache).</li>
 *   <li>{@code NftLock}: the per-namespace, host-wide lock ({@code /run/netlib/nft/INODE.lock}) that
 *       NftFirewall holds from read to send, so netlib processes never refuse each other's batches;
 *       the generation guard and its retries remain for writers that are not netlib.</li>
 * </ul>
 *
 * <p>Layout ({@link dev.netlib.spi.nft.NftLayout}): maps {@code published} and {@code published_addr}
 * (protocol . port to address . port), sets {@code hairpin} and {@code isolated}, chain
 * {@code published} with the two DNAT map lookups entered from {@code prerouting} and {@code output}
 * for local destinations, {@code postrouting} with the hairpin lookup then masquerade and SNAT rules,
 * {@code forward} with the isolation lookup. Made in one batch with the table, removed with it.
 *
 * <p>Internal: not API (see the package {@code dev.netlib.linux}); it changes in any release.
 */
package dev.netlib.linux.internal.nft;
