package dev.netlib.error;

/**
 * The kernel answered EPERM or EACCES. Mostly the caller lacks a capability (network changes need
 * CAP_NET_ADMIN, named namespaces CAP_SYS_ADMIN); the kernel also uses EPERM for some refusals of
 * its own, and the message says which it can be (whether this process holds both capabilities).
 */
public class PermissionDeniedException extends KernelException {
    private static final long serialVersionUID = 1L;

    /** The kernel's EPERM or EACCES for {@code operation}, with its extended-ack text or null. */
    public PermissionDeniedException(Errno errno, String operation, String kernelMessage) {
        super(errno, operation, kernelMessage);
    }
}
