/**
 * netlib's one hierarchy of unchecked exceptions, the same for {@code FakeKernel} and the Linux
 * backend: {@link dev.netlib.error.InvalidConfigException} for a bad value caught before the kernel
 * is touched, and {@link dev.netlib.error.KernelException} with its subclasses for what the kernel
 * refused, keeping the {@link dev.netlib.error.Errno}, the operation as its {@code ip}/{@code nft}
 * equivalent and the kernel's own extended-ack message; {@link dev.netlib.error.LockTimeoutException}
 * when a wait for one of netlib's host-wide locks ran out, naming the process that held it.
 */
package dev.netlib.error;
