/**
 * {@link dev.netlib.fake.FakeKernel}: an in-memory {@link dev.netlib.spi.Backend} that behaves like
 * the Linux kernel for everything netlib does (EEXIST, ENODEV, veth peers vanishing with their twin,
 * per-namespace state, routes needing a reachable gateway), records each change as its {@code ip}
 * or {@code nft} command, and can be told to fail. Unit tests run on it without privileges; the
 * backend contract suite (netlib-test) runs on it and on the real kernel alike.
 */
package dev.netlib.fake;
