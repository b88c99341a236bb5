package dev.netlib.linux.e2e;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.NotSupportedException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * While the backend is being assembled from parallel branches, some rtnl requests are placeholders
 * that throw {@code NotSupportedException(EOPNOTSUPP, ..., "not implemented yet")}. A test that
 * reaches one is reported as skipped, with the placeholder named, instead of failed. Only that exact
 * placeholder text counts: an EOPNOTSUPP from the kernel still fails the test. Likewise Rtnl's
 * refusal of an unsplit veth peer with an addrgenmode (see {@link #UNSPLIT_PEER}). Neither can
 * occur once the rtnl2 codecs and main's LinuxBackend are merged.
 */
final class PlaceholderSkip implements TestExecutionExceptionHandler {
    static final String PLACEHOLDER = "not implemented yet";

    /** Rethrows {@code t} when it is the placeholder (for code that catches exceptions to check them). */
    static void rethrowIfPlaceholder(Throwable t) {
        if (t instanceof NotSupportedException e && e.kernelMessage().filter(PLACEHOLDER::equals).isPresent()) {
            throw e;
        }
    }

    /**
     * Rtnl's refusal of a veth peer born in another namespace with an addrgenmode, which the backend
     * must split into the creation and a request inside the peer's namespace (main's LinuxBackend
     * does; a backend without that split reaches this refusal instead).
     */
    static final String UNSPLIT_PEER = "can only be set from inside it";

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            boolean placeholder = t instanceof NotSupportedException e && e.kernelMessage().filter(PLACEHOLDER::equals).isPresent();
            boolean unsplit = t instanceof InvalidConfigException && String.valueOf(t.getMessage()).contains(UNSPLIT_PEER);
            if (placeholder || unsplit) {
                String reason = "the backend does not implement this yet: " + t.getMessage();
                System.out.println("SKIPPED kernel test " + context.getDisplayName() + ": " + reason);
                throw new TestAbortedException(reason, thrown);
            }
        }
        throw thrown;
    }
}
