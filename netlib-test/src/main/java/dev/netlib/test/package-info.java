/**
 * netlib's JUnit 5 test kit. Annotate a test class with {@link dev.netlib.test.NetlibTest} and take
 * a {@link dev.netlib.Netlib} parameter: it runs on a fresh in-memory {@code FakeKernel}, needing no
 * privileges. Add {@link dev.netlib.test.RealKernel} and the same test runs in a throwaway network
 * namespace on the real kernel, skipped with the reason where the process lacks CAP_NET_ADMIN or
 * CAP_SYS_ADMIN ({@link dev.netlib.test.Privileges}). Either way the test fails if it leaves
 * anything behind, and a failed test's report carries an {@code ip}-style dump of its sandbox.
 *
 * <p>The backend contract suite that a {@link dev.netlib.spi.Backend} must pass lives beside it,
 * in {@code dev.netlib.contract}.
 */
package dev.netlib.test;
