package dev.netlib.error;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The kernel refused an operation. Keeps the errno, the operation as its {@code ip}/{@code nft}
 * equivalent, and the kernel's extended-ack text (NLMSGERR_ATTR_MSG) when it sent one.
 */
public class KernelException extends NetlibException {
    private static final long serialVersionUID = 1L;

    private final Errno errno;
    private final String operation;
    private final String kernelMessage;
    private int batchIndex = -1;
    private List<Integer> appliedInBatch = List.of();

    /** The kernel answered {@code errno} to {@code operation} (its {@code ip}/{@code nft} equivalent), with its extended-ack text or null. */
    public KernelException(Errno errno, String operation, String kernelMessage) {
        super(format(errno, operation, kernelMessage));
        this.errno = Objects.requireNonNull(errno, "errno");
        this.operation = operation;
        this.kernelMessage = kernelMessage == null || kernelMessage.isBlank() ? null : kernelMessage;
    }

    /** Builds the typed subclass that matches the errno. */
    public static KernelException of(Errno errno, String operation, String kernelMessage) {
        return switch (errno.name()) {
            case "EEXIST" -> new AlreadyExistsException(errno, operation, kernelMessage);
            case "ENODEV", "ENOENT" -> new NotFoundException(errno, operation, kernelMessage);
            case "EPERM", "EACCES" -> new PermissionDeniedException(errno, operation, kernelMessage);
            case "EBUSY" -> new BusyException(errno, operation, kernelMessage);
            case "EOPNOTSUPP" -> new NotSupportedException(errno, operation, kernelMessage);
            default -> new KernelException(errno, operation, kernelMessage);
        };
    }

    private static String format(Errno errno, String operation, String kernelMessage) {
        StringBuilder sb = new StringBuilder();
        sb.append(operation == null ? "kernel operation" : operation).append(" failed: ").append(errno);
        if (kernelMessage != null && !kernelMessage.isBlank()) {
            sb.append(": ").append(kernelMessage);
        }
        String hint = hint(errno);
        if (hint != null) {
            sb.append(" (").append(hint).append(')');
        }
        return sb.toString();
    }

    /** The process's CapEff, read once (on the first EPERM or EACCES); capabilities seldom change. */
    private static volatile OptionalLong capabilities;

    private static String hint(Errno errno) {
        if (errno.number() != Errno.EPERM.number() && errno.number() != Errno.EACCES.number()) {
            return null;
        }
        OptionalLong mask = capabilities;
        if (mask == null) {
            mask = EffectiveCapabilities.mask();
            capabilities = mask;
        }
        return permissionHint(mask);
    }

    /**
     * What an EPERM or EACCES means for a process with capability mask {@code mask}: the kernel
     * also answers EPERM for refusals that have nothing to do with privileges (a bridge port that
     * cannot learn refusing a dynamic entry, fdb_add_entry), so telling root to run as root would
     * mislead.
     */
    static String permissionHint(OptionalLong mask) {
        if (EffectiveCapabilities.holds(mask, EffectiveCapabilities.CAP_NET_ADMIN, EffectiveCapabilities.CAP_SYS_ADMIN)) {
            return "this process has CAP_NET_ADMIN and CAP_SYS_ADMIN: the kernel refused the operation itself, not the caller";
        }
        return "network changes need CAP_NET_ADMIN; named namespaces also need CAP_SYS_ADMIN: run as root";
    }

    /**
     * Records where in a {@code Backend.apply} call this failure happened: the index of the failed
     * change and the indexes of the changes that took effect (so a caller can undo them).
     */
    public KernelException inBatch(int failedIndex, List<Integer> applied) {
        this.batchIndex = failedIndex;
        this.appliedInBatch = List.copyOf(applied);
        return this;
    }

    /**
     * The same failure (type, errno, kernel message, place in its batch) named by another
     * operation: how a backend gives a low-level failure the command of the change it served.
     *
     * @param newOperation the command line to name
     * @return a new exception whose cause is this one
     */
    public KernelException withOperation(String newOperation) {
        KernelException e = of(errno, newOperation, kernelMessage);
        e.batchIndex = batchIndex;
        e.appliedInBatch = appliedInBatch;
        e.initCause(this);
        return e;
    }

    /** Index of the failed change in its batch, or -1 when it was not part of one. */
    public int batchIndex() {
        return batchIndex;
    }

    /** Indexes of the changes of the same batch that were applied. */
    public List<Integer> appliedInBatch() {
        return appliedInBatch;
    }

    /** The errno the kernel answered. */
    public Errno errno() {
        return errno;
    }

    /** The operation as its {@code ip}/{@code bridge}/{@code nft} command line, when known. */
    public String operation() {
        return operation;
    }

    /** The kernel's own words from the extended ack, when it sent any. */
    public Optional<String> kernelMessage() {
        return Optional.ofNullable(kernelMessage);
    }
}
