package dev.netlib.error;

/** The object is in use (EBUSY). */
public class BusyException extends KernelException {
    private static final long serialVersionUID = 1L;

    public BusyException(Errno errno, String operation, String kernelMessage) {
        super(errno, operation, kernelMessage);
    }
}
