package dev.netlib.error;

/** The kernel does not support the operation (EOPNOTSUPP). */
public class NotSupportedException extends KernelException {
    private static final long serialVersionUID = 1L;

    /** The kernel's EOPNOTSUPP or EAFNOSUPPORT (a feature this kernel or backend lacks) for {@code operation}, with its extended-ack text or null. */
    public NotSupportedException(Errno errno, String operation, String kernelMessage) {
        super(errno, operation, kernelMessage);
    }
}
