package dev.netlib;

import dev.netlib.model.NetnsRef;
import dev.netlib.spi.Backend;
import dev.netlib.spi.change.Commands;
import dev.netlib.spi.change.KernelChange;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place the public API hands changes to a backend: logs each as its ip/bridge equivalent. */
final class KernelCalls {
    private static final Logger LOG = LoggerFactory.getLogger("dev.netlib.changes");

    private KernelCalls() {}

    static void apply(Backend backend, NetnsRef ns, List<? extends KernelChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        if (LOG.isDebugEnabled()) {
            for (KernelChange c : changes) {
                LOG.debug("{}", Commands.of(ns, c));
            }
        }
        backend.apply(ns, changes);
    }

    static void apply(Backend backend, NetnsRef ns, KernelChange change) {
        apply(backend, ns, List.of(change));
    }
}
