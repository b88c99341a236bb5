package dev.netlib.ipam;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text form of records kept in a store by the network layer and the overlay: one {@code
 * key=value} per line. Values are names, numbers and addresses that never hold a newline (they are
 * validated before they get here). A record that does not parse is a {@link CorruptStoreException}
 * naming its key, never a reset.
 */
public final class StoredFields {
    private StoredFields() {}

    /**
     * The text of a record; null values are left out.
     *
     * @param fields field names to values (their {@code toString()})
     * @return one {@code name=value} line per field
     */
    public static String encode(Map<String, ?> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> {
            if (v != null) {
                sb.append(k).append('=').append(v).append('\n');
            }
        });
        return sb.toString();
    }

    /**
     * The fields of a record's text, in order.
     *
     * @param key  the record's key, for the error message
     * @param text the stored text
     * @return field names to values
     * @throws CorruptStoreException when a line is not {@code name=value}
     */
    public static Map<String, String> decode(String key, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new CorruptStoreException("stored entry " + key + " is corrupt: line '" + line + "' is not key=value");
            }
            out.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return out;
    }

    /**
     * A field that must be there.
     *
     * @param fields the decoded record
     * @param key    the record's key, for the error message
     * @param field  the field's name
     * @return its value
     * @throws CorruptStoreException when it is missing
     */
    public static String require(Map<String, String> fields, String key, String field) {
        String v = fields.get(field);
        if (v == null) {
            throw new CorruptStoreException("stored entry " + key + " is corrupt: no field '" + field + "'");
        }
        return v;
    }
}
