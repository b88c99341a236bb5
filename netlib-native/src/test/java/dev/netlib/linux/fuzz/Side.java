package dev.netlib.linux.fuzz;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import java.util.List;

/**
 * One backend under the fuzzer: its root handle and the fuzzer's namespaces on it (index 0 is
 * printed as {@code A}, 1 as {@code B}). Every change happens in these namespaces only.
 */
record Side(String backend, Netlib root, List<Namespace> namespaces) {
    Netlib in(int ns) {
        return root.in(namespaces.get(ns));
    }

    Namespace namespace(int ns) {
        return namespaces.get(ns);
    }
}
