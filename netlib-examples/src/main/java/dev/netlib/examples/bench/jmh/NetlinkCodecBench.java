package dev.netlib.examples.bench.jmh;

import dev.netlib.linux.internal.netlink.MessageReader;
import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.linux.internal.netlink.NetlinkMessage;
import dev.netlib.linux.internal.rtnl.LinkDecoder;
import dev.netlib.linux.internal.rtnl.LinkEncoder;
import dev.netlib.linux.internal.rtnl.LinkIndexResolver;
import dev.netlib.linux.internal.rtnl.NamespaceFds;
import dev.netlib.linux.internal.rtnl.PeerNamespaces;
import dev.netlib.model.LinkAttributes;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.NetnsRef;
import dev.netlib.model.VethSpec;
import dev.netlib.spi.change.CreateLink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The netlink codec alone, without a socket: encoding the RTM_NEWLINK of one container endpoint's
 * veth pair (peer born in the container's namespace, host end enslaved and up) and decoding one
 * entry of a link dump as the kernel sends it. Run with {@code -prof gc} for the bytes allocated
 * per message ({@code gc.alloc.rate.norm}):
 *
 * <pre>java -cp netlib-examples/target/netlib-examples.jar org.openjdk.jmh.Main NetlinkCodecBench -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NetlinkCodecBench {

    /** Stands for the container's namespace; the encoder only needs its fd. */
    private static final NetnsRef CONTAINER = new NetnsRef() {
        @Override public Optional<String> name() { return Optional.of("nbn1"); }
        @Override public String describe() { return "netns nbn1"; }
        @Override public long inode() { return 4026532000L; }
    };
    private static final NamespaceFds FDS = ns -> 7;
    private static final LinkIndexResolver HOST_LINKS = name -> 3;
    private static final PeerNamespaces PEERS = new PeerNamespaces() {
        @Override public int nsid(NetnsRef ns) { return 1; }
        @Override public int indexOf(int nsid, String name) { return 1; }
    };

    private final MessageWriter writer = new MessageWriter(4096);
    private CreateLink endpointVeth;
    private byte[] dumpEntry;

    @Setup
    public void setUp() throws IOException {
        LinkAttributes peer = LinkAttributes.NONE.withUp(true).withNetns(CONTAINER);
        endpointVeth = new CreateLink("nbh1", LinkAttributes.NONE.withMaster("nbbr0").withUp(true),
                new VethSpec("eth0", peer));
        dumpEntry = loadDumpEntry();
    }

    @Benchmark
    public int encodeEndpointVeth() {
        writer.reset();
        LinkEncoder.createLink(writer, endpointVeth, HOST_LINKS, FDS, PEERS);
        return writer.size();
    }

    @Benchmark
    public LinkInfo decodeLinkDumpEntry() {
        List<NetlinkMessage> messages = MessageReader.split(dumpEntry);
        return LinkDecoder.decode(messages.get(0), index -> "br0");
    }

    static byte[] loadDumpEntry() throws IOException {
        try (InputStream in = NetlinkCodecBench.class.getResourceAsStream("/bench/link-dump-entry.txt")) {
            if (in == null) {
                throw new IOException("resource /bench/link-dump-entry.txt missing from the class path");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("reply: ")) {
                    return HexFormat.of().parseHex(line.substring("reply: ".length()).trim());
                }
            }
            throw new IOException("no 'reply:' line in /bench/link-dump-entry.txt");
        }
    }
}
