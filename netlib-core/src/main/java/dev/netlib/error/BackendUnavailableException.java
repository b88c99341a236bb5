package dev.netlib.error;

/** No usable backend: netlib-native is missing from the class path, or the platform is not Linux. */
public class BackendUnavailableException extends NetlibException {
    private static final long serialVersionUID = 1L;

    /** No backend could be started; {@code message} says what to add or change. */
    public BackendUnavailableException(String message) {
        super(message);
    }

    /** No backend could be started, because of {@code cause}. */
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
