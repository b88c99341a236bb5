package dev.netlib.network;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A write-ahead note of an operation in progress, stored before its first kernel change and removed
 * when it ends. If the process dies in between, {@link Networks#reconcile} reads it: a creation
 * whose commit key was never written is rolled back (its links and keys removed); a removal whose
 * commit key is already gone is finished (its links removed).
 *
 * @param creating true for create/connect, false for remove/disconnect
 * @param commitKey the store key whose presence (creating) or absence (removing) marks the point of no return
 * @param links     kernel links involved, as {@code NETNS|IFNAME} ({@code |IFNAME} for the host namespace)
 * @param keys      leases involved ({@code subnet|NETWORK}, {@code pool|NETWORK}, {@code address|NETWORK|CONTAINER}):
 *                  released by reconcile when the record that would own them does not exist
 */
record Pending(String operation, boolean creating, String commitKey, List<String> links, List<String> keys) {
    String encode() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("op", operation);
        f.put("kind", creating ? "create" : "remove");
        f.put("commit", commitKey);
        f.put("links", Text.list(links));
        f.put("keys", Text.list(keys));
        return Text.encode(f);
    }

    static Pending decode(String key, String text) {
        Map<String, String> f = Text.decode(key, text);
        return new Pending(f.getOrDefault("op", "?"), "create".equals(f.get("kind")), Text.require(f, key, "commit"),
                Text.list(f.get("links")), Text.list(f.get("keys")));
    }

    static String link(String netnsOrNull, String ifName) {
        return (netnsOrNull == null ? "" : netnsOrNull) + "|" + ifName;
    }
}
