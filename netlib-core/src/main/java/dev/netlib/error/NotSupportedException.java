package dev.netlib.error;

/** The kernel does not support the operation (EOPNOTSUPP). */
public class NotSupportedException extends KernelException {
    private static final long serialVersionUID = 1L;

    public NotSupportedException(Errno errno, String operation, String kernelMessage) {
        super(errno, operation, kernelMessage);
    }
}
