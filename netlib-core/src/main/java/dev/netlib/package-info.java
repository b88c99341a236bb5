/**
 * netlib's fluent API: a {@link dev.netlib.Netlib} handle bound to one network namespace, and the
 * builders and views it hands out for namespaces, links (bridge, veth, vxlan, macvlan, dummy),
 * addresses, routes, neighbours, the bridge FDB, sysctls and batches. Builders are inert until
 * {@code create()}; every call that changes the kernel says in its Javadoc which {@code ip}
 * command it stands for and logs that command at DEBUG (logger {@code dev.netlib.changes}).
 *
 * <p>{@code Netlib.open()} finds the Linux backend (artifact netlib-native) through the
 * {@link java.util.ServiceLoader}; {@code Netlib.open(new FakeKernel())} runs the same code on an
 * in-memory kernel. Errors are the unchecked exceptions of {@link dev.netlib.error}.
 */
package dev.netlib;
