/**
 * The backend SPI: {@link dev.netlib.spi.Backend} takes semantic requests about kernel objects
 * (create a link from a spec, add an address, dump links, apply an nftables change, open a
 * namespace, run code in it), never netlink bytes. Two implementations: {@code FakeKernel} in
 * netlib-core and {@code LinuxBackend} in netlib-native, found through the
 * {@link java.util.ServiceLoader}.
 */
package dev.netlib.spi;
