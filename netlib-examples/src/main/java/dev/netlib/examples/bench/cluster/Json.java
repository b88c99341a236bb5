package dev.netlib.examples.bench.cluster;

import java.util.Map;
import java.util.stream.Collectors;

/** The bench's one JSON line: an object of numbers, booleans, strings and {@link Stats}. */
final class Json {
    private Json() {}

    static String of(Map<String, Object> fields) {
        return fields.entrySet().stream().map(e -> quote(e.getKey()) + ":" + value(e.getValue())).collect(Collectors.joining(",", "{", "}"));
    }

    private static String value(Object v) {
        if (v instanceof Stats s) {
            return s.json();
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        return quote(String.valueOf(v));
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
