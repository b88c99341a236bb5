/**
 * The backend SPI for netlib's nftables rules: semantic rules ({@link dev.netlib.spi.nft.FirewallRule}
 * and its records) made of set and map elements ({@link dev.netlib.spi.nft.NftElement}) and keyed
 * rules, changes, the shared table layout ({@link dev.netlib.spi.nft.NftLayout}), the kernel state a
 * change is planned on ({@link dev.netlib.spi.nft.FirewallState}) and the plan both backends follow
 * ({@link dev.netlib.spi.nft.FirewallPlan}): EEXIST/ENOENT before anything changes, exactly the
 * change's own elements and rules, the nft commands (valid shell) for logs, errors and dry runs.
 */
package dev.netlib.spi.nft;
