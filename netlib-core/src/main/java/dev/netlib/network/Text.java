package dev.netlib.network;

import dev.netlib.error.NetlibException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of definitions: one {@code key=value} per line. Values are names, addresses and
 * numbers that never hold a newline (names are validated before they get here); lists are
 * comma-separated.
 */
final class Text {
    private Text() {}

    static String encode(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> {
            if (v != null) {
                sb.append(k).append('=').append(v).append('\n');
            }
        });
        return sb.toString();
    }

    static Map<String, String> decode(String key, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new NetlibException("stored entry " + key + " is corrupt: line '" + line + "' is not key=value");
            }
            out.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return out;
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
        String v = fields.get(field);
        if (v == null) {
            throw new NetlibException("stored entry " + key + " is corrupt: no field '" + field + "'");
        }
        return v;
    }

    static String list(List<String> values) {
        return values.isEmpty() ? null : String.join(",", values);
    }

    static List<String> list(String text) {
        return text == null || text.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(text.split(",")));
    }
}
