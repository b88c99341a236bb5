package dev.netlib.error;

/** The device or object does not exist (ENODEV or ENOENT). */
public class NotFoundException extends KernelException {
    private static final long serialVersionUID = 1L;

    /** The kernel's ENOENT, ENODEV or ESRCH (the object is not there) for {@code operation}, with its extended-ack text or null. */
    public NotFoundException(Errno errno, String operation, String kernelMessage) {
        super(errno, operation, kernelMessage);
    }
}
