package dev.netlib.linux.internal.netlink;

import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;
import java.util.List;
import java.util.Optional;

/**
 * What the kernel answered to one message of a {@link NetlinkSocket#transact} batch: the ack (null
 * when the message did not ask for one and did not fail) and the messages it sent back with the
 * same sequence number before the ack (a GET's answer, NLM_F_ECHO copies; copied out of the
 * receive buffer, safe to keep).
 */
public record NetlinkReply(int index, int seq, NetlinkAck ack, List<NetlinkMessage> messages) {

    /** True when the kernel acked success, or sent no error for a message without NLM_F_ACK. */
    public boolean isSuccess() {
        return ack == null || ack.isSuccess();
    }

    /** The errno of a failure, empty on success. */
    public Optional<Errno> errno() {
        return isSuccess() ? Optional.empty() : Optional.of(Errno.of(ack.errnoNumber()));
    }

    /** The kernel's extended-ack text (failure or warning), when it sent one. */
    public Optional<String> kernelMessage() {
        return ack == null ? Optional.empty() : ack.message();
    }

    /** The typed exception for a failure, naming {@code operation}. */
    public KernelException exception(String operation) {
        return ack.toException(operation);
    }
}
