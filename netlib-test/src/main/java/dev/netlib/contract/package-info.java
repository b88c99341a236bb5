/**
 * The behaviour every {@link dev.netlib.spi.Backend} must show, as a JUnit 5 suite: extend
 * {@link dev.netlib.contract.BackendContract}, return your backend from {@code createBackend()},
 * and run it. netlib runs it against {@code FakeKernel} and the Linux backend; the native run is
 * what proves the fake tells the truth.
 */
package dev.netlib.contract;
