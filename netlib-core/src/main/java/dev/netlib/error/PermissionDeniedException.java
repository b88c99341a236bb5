package dev.netlib.error;

/** The caller lacks a capability (EPERM or EACCES): network changes need CAP_NET_ADMIN, named namespaces CAP_SYS_ADMIN. */
public class PermissionDeniedException extends KernelException {
    private static final long serialVersionUID = 1L;

    /** The kernel's EPERM or EACCES for {@code operation}: a capability (CAP_NET_ADMIN, CAP_SYS_ADMIN) is missing. */
    public PermissionDeniedException(Errno errno, String operation, String kernelMessage) {
        super(errno, operation, kernelMessage);
    }
}
