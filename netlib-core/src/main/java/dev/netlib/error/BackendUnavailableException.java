package dev.netlib.error;

/** No usable backend: netlib-native is missing from the class path, or the platform is not Linux. */
public class BackendUnavailableException extends NetlibException {
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
