/**
 * The nftables part of {@code FakeKernel}: netlib's own table {@code ip netlib} kept in memory,
 * changed in atomic batches with the kernel's EEXIST and ENOENT answers.
 */
package dev.netlib.fake.nft;
