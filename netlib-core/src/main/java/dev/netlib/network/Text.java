package dev.netlib.network;

import dev.netlib.error.NetlibException;
import dev.netlib.ipam.StoredFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The stored form of definitions: {@link StoredFields} ({@code key=value} lines, shared with the
 * overlay), plus what the network layer adds: comma-separated lists, errors that name the key.
 */
final class Text {
    private Text() {}

    static String encode(Map<String, String> fields) {
        return StoredFields.encode(fields);
    }

    static Map<String, String> decode(String key, String text) {
        return StoredFields.decode(key, text);
    }

    /**
     * Decodes a stored entry; any error (a bad name, address, number) becomes one that names the
     * key, so a wrong but well-framed value is reported where it is, not as a bare parse error.
     */
    static <T> T decoding(String key, java.util.function.Supplier<T> decoder) {
        try {
            return decoder.get();
        } catch (RuntimeException e) {
            if (e instanceof NetlibException n && n.getMessage() != null && n.getMessage().startsWith("stored entry " + key)) {
                throw n;
            }
            throw new NetlibException("stored entry " + key + " is corrupt: " + e.getMessage(), e);
        }
    }

    static String require(Map<String, String> fields, String key, String field) {
        return StoredFields.require(fields, key, field);
    }

    static String list(List<String> values) {
        return values.isEmpty() ? null : String.join(",", values);
    }

    static List<String> list(String text) {
        return text == null || text.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(text.split(",")));
    }
}
