package dev.netlib.error;

/**
 * A read of a whole table (links, addresses, routes...) kept being interrupted by concurrent
 * changes (the kernel flagged every attempt NLM_F_DUMP_INTR), so no consistent answer could be
 * given: netlib returns a table only when the kernel vouches for it, never half of one. Raised
 * after several attempts with growing pauses; the table is changing faster than it can be read,
 * and the caller may simply try again later. errno EBUSY.
 *
 * <p>Reads of links never raise it: when the link dump stays interrupted, the Linux backend asks
 * for every link the last attempt saw again, one by one (pipelined), and answers with those still
 * there, so every link that existed throughout the call is in the answer once. Addresses, routes,
 * neighbours and FDB entries have no such per-object read in the kernel for every family (IPv4
 * addresses cannot be got one by one), so their reads raise this instead.
 */
public class DumpInterruptedException extends BusyException {
    private static final long serialVersionUID = 1L;
    private final int attempts;

    /**
     * @param operation the read, as its {@code ip} command
     * @param attempts how many dumps were interrupted
     */
    public DumpInterruptedException(String operation, int attempts) {
        super(Errno.EBUSY, operation, "dump interrupted by concurrent changes " + attempts + " times (NLM_F_DUMP_INTR)");
        this.attempts = attempts;
    }

    /**
     * How many attempts were interrupted.
     *
     * @return the number of interrupted dumps
     */
    public int attempts() {
        return attempts;
    }
}
