package dev.netlib.linux.internal.rtnl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A golden fixture captured from iproute2 by {@code src/test/resources/golden/capture.py}: the
 * command, and the request ip sent (or the kernel's reply plus {@code ip -d -j link show}).
 * Captured on x86-64 (little-endian): tests that compare bytes skip on other hosts.
 */
record GoldenFixture(String name, String command, byte[] request, byte[] reply, String json) {

    static GoldenFixture load(String name) {
        String path = "/golden/rtnl/" + name + ".txt";
        try (InputStream in = GoldenFixture.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + path);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String command = null;
            byte[] request = null;
            byte[] reply = null;
            String json = null;
            for (String line : text.split("\n")) {
                if (line.startsWith("# command: ")) {
                    command = line.substring("# command: ".length());
                } else if (line.startsWith("request: ")) {
                    request = HexFormat.of().parseHex(line.substring(9).trim());
                } else if (line.startsWith("reply: ")) {
                    reply = HexFormat.of().parseHex(line.substring(7).trim());
                } else if (line.startsWith("json: ")) {
                    json = line.substring(6);
                }
            }
            return new GoldenFixture(name, command, request, reply, json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request with nlmsg_seq and nlmsg_pid zeroed (the socket stamps them at send time). */
    byte[] requestWithoutSeqPid() {
        byte[] b = request.clone();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(8, 0).putInt(12, 0);
        return b;
    }

    /** An integer field of the ip -j output, e.g. "mtu": 1400. */
    int jsonInt(String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":(-?\\d+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + key + " in " + json);
        }
        return Integer.parseInt(m.group(1));
    }

    /** A string field of the ip -j output, e.g. "ifname": "br0". */
    String jsonString(String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + key + " in " + json);
        }
        return m.group(1);
    }

    boolean jsonBool(String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":(true|false)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + key + " in " + json);
        }
        return Boolean.parseBoolean(m.group(1));
    }
}
