package dev.netlib.network;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A write-ahead note of an operation in progress, stored before its first change and removed when
 * it ends, carrying its {@link Owner}. While the owner is alive nobody else touches what it names.
 * If the owner died, {@link Reconciler} reads it: a creation whose commit key was never written is
 * rolled back (its links deleted); a removal is always finished (the records it lists deleted, its
 * links deleted), since what it already deleted cannot be brought back; the rest (leases, rules,
 * hosts files, index entries) follows from the records, checked both ways.
 *
 * @param creating  true for create/connect, false for remove/disconnect
 * @param commitKey the store key whose presence (creating) or absence (removing) marks the point of no return
 * @param links     kernel links the operation makes or deletes, named before it starts
 * @param removes   the records a removal deletes (finished by reconcile if its owner dies)
 */
record Pending(String operation, boolean creating, String commitKey, List<KernelLink> links, List<String> removes, Owner owner) {
    String encode() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("op", operation);
        f.put("kind", creating ? "create" : "remove");
        f.put("commit", commitKey);
        f.put("links", Text.list(links.stream().map(KernelLink::encode).toList()));
        f.put("removes", Text.list(removes));
        f.put("owner", owner.encode());
        return Text.encode(f);
    }

    static Pending decode(String key, String text) {
        return Text.decoding(key, () -> {
            Map<String, String> f = Text.decode(key, text);
            String commit = Text.require(f, key, "commit");
            checkKeys(List.of(commit));
            return new Pending(f.getOrDefault("op", "?"), "create".equals(f.get("kind")), commit,
                    Text.list(f.get("links")).stream().map(KernelLink::decode).toList(), checkKeys(Text.list(f.get("removes"))),
                    Owner.decode(key, Text.require(f, key, "owner")));
        });
    }

    /** Keys read from a note must be the network layer's own records: a tampered note must not make reconcile delete others. */
    private static List<String> checkKeys(List<String> keys) {
        for (String k : keys) {
            dev.netlib.ipam.IpamStore.checkKey(k);
            if (!k.startsWith(State.NETWORKS) && !k.startsWith(State.ENDPOINTS)) {
                throw new dev.netlib.error.InvalidConfigException("key '" + k + "' is not a network or endpoint record");
            }
        }
        return keys;
    }
}
