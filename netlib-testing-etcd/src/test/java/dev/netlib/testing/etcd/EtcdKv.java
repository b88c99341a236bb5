package dev.netlib.testing.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts and gets a key through etcd's JSON gateway (POST /v3/kv/put and /v3/kv/range, keys and values
 * base64), so the kit's tests need no etcd client. Equivalent to: {@code etcdctl put KEY VALUE},
 * {@code etcdctl get KEY}.
 */
final class EtcdKv {
    private static final Pattern VALUE = Pattern.compile("\"value\":\"([^\"]*)\"");

    private EtcdKv() {}

    static void put(String endpoint, String key, String value) throws IOException {
        post(endpoint + "/v3/kv/put", "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\"}");
    }

    /** The key's value, or null when it has none. */
    static String get(String endpoint, String key) throws IOException {
        Matcher m = VALUE.matcher(post(endpoint + "/v3/kv/range", "{\"key\":\"" + b64(key) + "\"}"));
        return m.find() ? new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8) : null;
    }

    private static String post(String url, String json) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
        try {
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            try (OutputStream out = c.getOutputStream()) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
            if (c.getResponseCode() != HttpURLConnection.HTTP_OK) {
                throw new IOException(url + " answered " + c.getResponseCode());
            }
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } finally {
            c.disconnect();
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
