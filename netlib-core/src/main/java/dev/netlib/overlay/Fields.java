package dev.netlib.overlay;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stored form of overlay records: one {@code key=value} per line, the same text form as the
 * network layer's definitions (values are names, numbers and addresses that never hold a newline).
 */
final class Fields {
    private Fields() {}

    static String encode(Map<String, Object> fields) {
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
                throw new OverlayException("stored entry " + key + " is corrupt: line '" + line + "' is not key=value");
            }
            out.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return out;
    }

    static String require(Map<String, String> f, String key, String field) {
        String v = f.get(field);
        if (v == null) {
            throw new OverlayException("stored entry " + key + " is corrupt: no " + field);
        }
        return v;
    }
}
