package dev.netlib.error;

import java.util.Map;

/**
 * A Linux errno value with its symbolic name. The numbers are the x86-64/aarch64 generic ones from
 * {@code asm-generic/errno-base.h} and {@code asm-generic/errno.h}.
 */
public record Errno(int number, String name) {
    public static final Errno EPERM = new Errno(1, "EPERM");
    public static final Errno ENOENT = new Errno(2, "ENOENT");
    public static final Errno ESRCH = new Errno(3, "ESRCH");
    public static final Errno EINTR = new Errno(4, "EINTR");
    public static final Errno EIO = new Errno(5, "EIO");
    public static final Errno ENXIO = new Errno(6, "ENXIO");
    public static final Errno EBADF = new Errno(9, "EBADF");
    public static final Errno EAGAIN = new Errno(11, "EAGAIN");
    public static final Errno ENOMEM = new Errno(12, "ENOMEM");
    public static final Errno EACCES = new Errno(13, "EACCES");
    public static final Errno EBUSY = new Errno(16, "EBUSY");
    public static final Errno EEXIST = new Errno(17, "EEXIST");
    public static final Errno EXDEV = new Errno(18, "EXDEV");
    public static final Errno ENODEV = new Errno(19, "ENODEV");
    public static final Errno ENOTDIR = new Errno(20, "ENOTDIR");
    public static final Errno EINVAL = new Errno(22, "EINVAL");
    public static final Errno ENFILE = new Errno(23, "ENFILE");
    public static final Errno EMFILE = new Errno(24, "EMFILE");
    public static final Errno ENOSPC = new Errno(28, "ENOSPC");
    public static final Errno ERANGE = new Errno(34, "ERANGE");
    public static final Errno ENAMETOOLONG = new Errno(36, "ENAMETOOLONG");
    public static final Errno ENOTEMPTY = new Errno(39, "ENOTEMPTY");
    public static final Errno ELOOP = new Errno(40, "ELOOP");
    public static final Errno ENODATA = new Errno(61, "ENODATA");
    public static final Errno EPROTO = new Errno(71, "EPROTO");
    public static final Errno EMSGSIZE = new Errno(90, "EMSGSIZE");
    public static final Errno EPROTONOSUPPORT = new Errno(93, "EPROTONOSUPPORT");
    public static final Errno EOPNOTSUPP = new Errno(95, "EOPNOTSUPP");
    public static final Errno EAFNOSUPPORT = new Errno(97, "EAFNOSUPPORT");
    public static final Errno EADDRINUSE = new Errno(98, "EADDRINUSE");
    public static final Errno EADDRNOTAVAIL = new Errno(99, "EADDRNOTAVAIL");
    public static final Errno ENETDOWN = new Errno(100, "ENETDOWN");
    public static final Errno ENETUNREACH = new Errno(101, "ENETUNREACH");
    public static final Errno ENOBUFS = new Errno(105, "ENOBUFS");
    public static final Errno ENOTCONN = new Errno(107, "ENOTCONN");
    public static final Errno ETIMEDOUT = new Errno(110, "ETIMEDOUT");
    public static final Errno ECONNREFUSED = new Errno(111, "ECONNREFUSED");
    public static final Errno EHOSTUNREACH = new Errno(113, "EHOSTUNREACH");

    private static final Map<Integer, Errno> KNOWN = Map.ofEntries(
            entry(EPERM), entry(ENOENT), entry(ESRCH), entry(EINTR), entry(EIO), entry(ENXIO), entry(EBADF),
            entry(EAGAIN), entry(ENOMEM), entry(EACCES), entry(EBUSY), entry(EEXIST), entry(EXDEV),
            entry(ENODEV), entry(ENOTDIR), entry(EINVAL), entry(ENFILE), entry(EMFILE), entry(ENOSPC),
            entry(ERANGE), entry(ENAMETOOLONG), entry(ENOTEMPTY), entry(ELOOP), entry(ENODATA), entry(EPROTO), entry(EMSGSIZE),
            entry(EPROTONOSUPPORT), entry(EOPNOTSUPP), entry(EAFNOSUPPORT), entry(EADDRINUSE),
            entry(EADDRNOTAVAIL), entry(ENETDOWN), entry(ENETUNREACH), entry(ENOBUFS), entry(ENOTCONN),
            entry(ETIMEDOUT), entry(ECONNREFUSED), entry(EHOSTUNREACH));

    private static Map.Entry<Integer, Errno> entry(Errno e) {
        return Map.entry(e.number, e);
    }

    /** The errno for a positive number; unknown numbers get the name {@code errno N}. */
    public static Errno of(int number) {
        int n = Math.abs(number);
        Errno known = KNOWN.get(n);
        return known != null ? known : new Errno(n, "errno " + n);
    }

    @Override
    public String toString() {
        return name + " (" + number + ")";
    }
}
