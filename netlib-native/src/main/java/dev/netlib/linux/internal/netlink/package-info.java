/**
 * The netlink layer: {@link dev.netlib.linux.internal.netlink.NetlinkSocket} (one AF_NETLINK socket bound
 * in the namespace of the thread that opened it; pipelined {@code transact}, multipart
 * {@code dump} with NLM_F_DUMP_INTR retry, NLM_F_ECHO replies, extended acks), the
 * {@link dev.netlib.linux.internal.netlink.MessageWriter} (messages and attributes with back-patched
 * lengths, per-call byte order, batches), and the bounds-checked readers
 * ({@link dev.netlib.linux.internal.netlink.MessageReader}, {@link dev.netlib.linux.internal.netlink.Attributes},
 * {@link dev.netlib.linux.internal.netlink.NetlinkAck}) whose only failure is a
 * {@link dev.netlib.error.MalformedMessageException} naming the attribute path.
 *
 * <p>Protocol-neutral: rtnetlink lives in {@code dev.netlib.linux.internal.rtnl}, nf_tables in
 * {@code dev.netlib.linux.internal.nft}.
 *
 * <p>Internal: not API (see the package {@code dev.netlib.linux}); it changes in any release.
 */
package dev.netlib.linux.internal.netlink;
