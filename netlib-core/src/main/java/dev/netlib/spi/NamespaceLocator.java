package dev.netlib.spi;

import dev.netlib.value.NamespaceName;
import java.nio.file.Path;

/** How to find an existing namespace: by iproute2 name, by a path to a namespace file, or by a process. */
public sealed interface NamespaceLocator {
    /** A namespace by its iproute2 name under /var/run/netns. */
    record ByName(String name) implements NamespaceLocator {
        public ByName {
            NamespaceName.validate(name);
        }
    }

    /** A namespace by the path of a file that stands for it (a bind mount or /proc/PID/ns/net). */
    record ByPath(Path path) implements NamespaceLocator {}

    /** {@code /proc/PID/ns/net}. */
    record ByPid(long pid) implements NamespaceLocator {
        public ByPid {
            if (pid <= 0) {
                throw new dev.netlib.error.InvalidConfigException("pid must be positive, not " + pid);
            }
        }
    }
}
