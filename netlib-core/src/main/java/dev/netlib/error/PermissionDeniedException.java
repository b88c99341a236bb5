package dev.netlib.error;

/** The caller lacks a capability (EPERM or EACCES): network changes need CAP_NET_ADMIN, named namespaces CAP_SYS_ADMIN. */
public class PermissionDeniedException extends KernelException {
    private static final long serialVersionUID = 1L;

    public PermissionDeniedException(Errno errno, String operation, String kernelMessage) {
        super(errno, operation, kernelMessage);
    }
}
