package dev.netlib.error;

/** The device or object does not exist (ENODEV or ENOENT). */
public class NotFoundException extends KernelException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(Errno errno, String operation, String kernelMessage) {
        super(errno, operation, kernelMessage);
    }
}
