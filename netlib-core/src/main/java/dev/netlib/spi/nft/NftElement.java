package dev.netlib.spi.nft;

import java.util.List;
import java.util.Objects;

/**
 * One element of one of netlib's sets or maps: a key, data for a map, and the comment that names
 * the {@link FirewallRule} it belongs to ({@link RuleKeys}), so a later process reads rules back.
 * Elements are identified by set and key alone, as in the kernel ({@link #id()}).
 *
 * @param set     the set or map
 * @param key     the key's fields, in the set's key type order
 * @param data    the data's fields for a map, empty for a set
 * @param comment the owning rule's key
 */
public record NftElement(NftSet set, List<NftValue> key, List<NftValue> data, String comment) {
    /** Copies the lists and checks the data fits the set's kind. */
    public NftElement {
        Objects.requireNonNull(set, "set");
        key = List.copyOf(key);
        data = List.copyOf(data);
        if (set.isMap() == data.isEmpty()) {
            throw new IllegalArgumentException("element of " + set.name() + (set.isMap() ? " needs" : " takes no") + " data");
        }
    }

    /** What identifies an element in the kernel: its set and key. @param set the set @param key the key */
    public record Id(NftSet set, List<NftValue> key) {
        // written out: see NftValue (no invokedynamic bootstrap on the first nf_tables call)
        @Override
        public boolean equals(Object o) {
            return o instanceof Id i && set.name().equals(i.set.name()) && key.equals(i.key);
        }

        @Override
        public int hashCode() {
            return set.name().hashCode() * 31 + key.hashCode();
        }
    }

    /** The element's identity: set and key. */
    public Id id() {
        return new Id(set, key);
    }

    /** The key as nft prints it: {@code tcp . 8080}. */
    public String keyText() {
        return join(key);
    }

    private static String join(List<NftValue> fields) {
        StringBuilder sb = new StringBuilder();
        for (NftValue v : fields) {
            if (sb.length() > 0) {
                sb.append(" . ");
            }
            sb.append(v.text());
        }
        return sb.toString();
    }

    /** Equivalent to: {@code nft add element ip netlib SET '{ KEY comment "RULE" : DATA }'}. */
    public String addCommand() {
        String body = keyText() + (comment == null ? "" : " comment \"" + comment + "\"")
                + (data.isEmpty() ? "" : " : " + join(data));
        return "nft add element ip " + NftLayout.TABLE + " " + set.name() + " " + NftCommands.quote("{ " + body + " }");
    }

    /** Equivalent to: {@code nft delete element ip netlib SET '{ KEY }'}. */
    public String deleteCommand() {
        return "nft delete element ip " + NftLayout.TABLE + " " + set.name() + " " + NftCommands.quote("{ " + keyText() + " }");
    }
}
