package dev.netlib.network;

import dev.netlib.error.NetlibException;
import java.util.List;

/** A network cannot be removed while endpoints are attached (Docker: "has active endpoints"). Nothing was changed. */
public class NetworkInUseException extends NetlibException {
    private static final long serialVersionUID = 1L;
    private final List<String> containers;

    /** The network still has endpoints: {@code containers} names them. */
    public NetworkInUseException(String message, List<String> containers) {
        super(message);
        this.containers = List.copyOf(containers);
    }

    /** The containers still attached. */
    public List<String> containers() {
        return containers;
    }
}
