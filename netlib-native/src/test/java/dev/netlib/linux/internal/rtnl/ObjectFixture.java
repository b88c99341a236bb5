package dev.netlib.linux.internal.rtnl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.contract.iproute.MiniJson;
import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.error.Errno;
import dev.netlib.error.NotFoundException;
import dev.netlib.linux.internal.netlink.MessageReader;
import dev.netlib.linux.internal.netlink.NetlinkMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A golden fixture of {@code src/test/resources/golden/capture_rtnl2.py}: the iproute2 command
 * (NS standing for the capture namespace), the link indexes of that namespace, and either the
 * request ip/bridge sent or the kernel's dump replies plus the {@code -j} output. Captured on
 * x86-64 (little-endian).
 */
record ObjectFixture(String name, String command, Map<String, Integer> links, byte[] request,
        List<byte[]> replies, String json) {

    static ObjectFixture load(String name) {
        String path = "/golden/rtnl/" + name + ".txt";
        try (InputStream in = ObjectFixture.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + path);
            }
            String command = null;
            byte[] request = null;
            String json = null;
            Map<String, Integer> links = new LinkedHashMap<>();
            List<byte[]> replies = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("# command: ")) {
                    command = line.substring("# command: ".length());
                } else if (line.startsWith("links: ")) {
                    for (String kv : line.substring(7).trim().split(" ")) {
                        String[] p = kv.split("=");
                        links.put(p[0], Integer.parseInt(p[1]));
                    }
                } else if (line.startsWith("request: ")) {
                    request = HexFormat.of().parseHex(line.substring(9).trim());
                } else if (line.startsWith("reply: ")) {
                    replies.add(HexFormat.of().parseHex(line.substring(7).trim()));
                } else if (line.startsWith("json: ")) {
                    json = line.substring(6);
                }
            }
            return new ObjectFixture(name, command, links, request, replies, json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request as hex with nlmsg_seq and nlmsg_pid zeroed (the socket stamps them at send time). */
    String requestHex() {
        byte[] b = request.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0).putInt(12, 0);
        return HexFormat.of().formatHex(b);
    }

    /** The command as netlib renders it: without {@code -n NS}. */
    String plainCommand() {
        return command.replace(" -n NS ", " ");
    }

    /** Resolves names with the capture namespace's indexes; ENODEV for others, as the kernel would. */
    LinkIndexResolver resolver() {
        return n -> {
            Integer i = links.get(n);
            if (i == null) {
                throw new NotFoundException(Errno.ENODEV, "ip link show dev " + n, "no " + n + " in " + links);
            }
            return i;
        };
    }

    /** Names indexes with the capture namespace's links. */
    String nameOf(int index) {
        return links.entrySet().stream().filter(e -> e.getValue() == index).map(Map.Entry::getKey).findFirst().orElse(null);
    }

    /** Every reply message. */
    List<NetlinkMessage> replyMessages() {
        List<NetlinkMessage> out = new ArrayList<>();
        for (byte[] r : replies) {
            out.addAll(MessageReader.split(r));
        }
        return out;
    }

    List<Map<String, Object>> jsonArray() {
        return MiniJson.parseArrayOfObjects(json);
    }

    /** One of the *Messages.encode methods. */
    interface Encoder {
        void encode(MessageWriter w, KernelChange change, LinkIndexResolver links);
    }

    /**
     * Asserts that {@code encoder} turns {@code change} into exactly the one request captured in
     * {@code fixture}, and that the change's command is the fixture's plain command.
     */
    static void assertEncodes(String fixture, KernelChange change, Encoder encoder) {
        ObjectFixture f = load(fixture);
        MessageWriter w = new MessageWriter();
        encoder.encode(w, change, f.resolver());
        assertThat(w.messageCount()).isEqualTo(1);
        assertThat(HexFormat.of().formatHex(w.toByteArray())).as("%s: %s", fixture, f.command()).isEqualTo(f.requestHex());
        assertThat(change.command()).as("command of %s", fixture).isEqualTo(f.plainCommand());
    }
}
