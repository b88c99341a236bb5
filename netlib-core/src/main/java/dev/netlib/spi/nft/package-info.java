/**
 * The backend SPI for netlib's nftables rules: semantic rules ({@link dev.netlib.spi.nft.FirewallRule}
 * and its records), changes, the shared table/chain layout ({@link dev.netlib.spi.nft.NftLayout}) and
 * the plan both backends follow ({@link dev.netlib.spi.nft.FirewallPlan}): EEXIST/ENOENT before
 * anything changes, chains with their first and last rule, the nft commands for logs and dry runs.
 */
package dev.netlib.spi.nft;
