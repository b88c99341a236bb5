/**
 * The nf_tables and nfnetlink constants with their kernel names (uapi headers): a leaf package, so
 * the rule code ({@code dev.netlib.linux.internal.nft}) and the expressions
 * ({@code dev.netlib.linux.internal.nft.expr}) both use it without depending on each other both ways.
 */
package dev.netlib.linux.internal.nft.uapi;
