package dev.netlib.error;

/** The object is in use (EBUSY). */
public class BusyException extends KernelException {
    private static final long serialVersionUID = 1L;

    /** The kernel's EBUSY (or a dump interrupted too often) for {@code operation}, with its extended-ack text or null. */
    public BusyException(Errno errno, String operation, String kernelMessage) {
        super(errno, operation, kernelMessage);
    }
}
