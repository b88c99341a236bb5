package dev.netlib.lock;

import dev.netlib.error.InvalidConfigException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How long a user of a {@link HostFileLock} waits for it before giving up with a
 * {@link dev.netlib.error.LockTimeoutException}, and the words that tell a user how to change it
 * (they end up in that exception's message and in the WARN logged while waiting).
 *
 * <p>The default, {@link #DEFAULT_DURATION} (60 s), is generous on purpose. netlib's holds are
 * short (an nf_tables change holds its lock from a read to the kernel's answer, milliseconds even
 * for thousands of elements; a hosts file rewrite a few writes; an IPAM store write two fsyncs),
 * but a waiter queues behind every process ahead of it, and an fsync on a disk busy with writeback
 * can take seconds. A minute is far above any wait that ends by itself, while a holder that is
 * stopped (SIGSTOP, a debugger) or stuck costs the others a bounded time and an exception that
 * names it, instead of a silent hang. A WARN comes long before (see {@link HostFileLock}).
 *
 * @param duration how long to wait; zero takes the lock only if it is free at once
 * @param setting how to change it, as a user reads it, for example {@code "-Dfoo=SECONDS or
 *     FOO=SECONDS"}
 */
public record LockTimeout(Duration duration, String setting) {
    /** The default timeout: see the class comment for why a minute. */
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(60);

    /** The default timeout of a lock user that offers no setting of its own. */
    public static final LockTimeout DEFAULT = new LockTimeout(DEFAULT_DURATION, "the timeout argument of HostFileLock.acquire");

    /**
     * A timeout.
     *
     * @param duration how long to wait, not negative
     * @param setting how to change it
     */
    public LockTimeout {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(setting, "setting");
        if (duration.isNegative()) {
            throw new InvalidConfigException("a lock timeout cannot be negative: " + duration);
        }
    }

    /**
     * The timeout a lock user's settings give: the system property {@code property}, else the
     * environment variable {@code env}, else {@link #DEFAULT_DURATION}. A value is a number of
     * seconds ({@code 60}, {@code 2.5}), or a number with the unit {@code s} or {@code ms}
     * ({@code 500ms}); {@code 0} means not to wait at all.
     *
     * @param property the system property's name
     * @param env the environment variable's name
     * @return the timeout, naming both settings as the way to change it
     * @throws InvalidConfigException when the value set is not such a duration
     */
    public static LockTimeout fromSettings(String property, String env) {
        String setting = "-D" + property + "=SECONDS or the environment variable " + env + "=SECONDS";
        String p = System.getProperty(property);
        if (p != null && !p.isBlank()) {
            return new LockTimeout(parse(p, "system property " + property), setting);
        }
        String e = System.getenv(env);
        if (e != null && !e.isBlank()) {
            return new LockTimeout(parse(e, "environment variable " + env), setting);
        }
        return new LockTimeout(DEFAULT_DURATION, setting);
    }

    /**
     * This timeout with another duration, changed by the same setting.
     *
     * @param other the duration
     * @return the new timeout
     */
    public LockTimeout withDuration(Duration other) {
        return new LockTimeout(other, setting);
    }

    /** {@code text} as a duration: seconds, or a number with the unit s or ms; {@code source} names it in an error. */
    static Duration parse(String text, String source) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unitNanos = 1_000_000_000L;
        if (t.endsWith("ms")) {
            unitNanos = 1_000_000L;
            t = t.substring(0, t.length() - 2).trim();
        } else if (t.endsWith("s")) {
            t = t.substring(0, t.length() - 1).trim();
        }
        try {
            BigDecimal n = new BigDecimal(t);
            if (n.signum() < 0) {
                throw new NumberFormatException("negative");
            }
            return Duration.ofNanos(n.multiply(BigDecimal.valueOf(unitNanos)).longValueExact());
        } catch (NumberFormatException | ArithmeticException bad) {
            throw new InvalidConfigException("the " + source + " is '" + text
                    + "', not a lock timeout: give seconds (60, 2.5) or a number with s or ms (500ms), 0 or more");
        }
    }
}
