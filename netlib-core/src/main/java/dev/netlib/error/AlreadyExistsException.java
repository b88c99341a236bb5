package dev.netlib.error;

/** The object already exists (EEXIST). */
public class AlreadyExistsException extends KernelException {
    private static final long serialVersionUID = 1L;

    /** The kernel's EEXIST (or an equivalent) for {@code operation}, with its extended-ack text or null. */
    public AlreadyExistsException(Errno errno, String operation, String kernelMessage) {
        super(errno, operation, kernelMessage);
    }
}
