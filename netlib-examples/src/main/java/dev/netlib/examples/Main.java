package dev.netlib.examples;

import dev.netlib.examples.bench.EndpointBench;
import dev.netlib.examples.bench.NftBench;
import java.util.Arrays;

/** Entry point of the examples jar: {@code java -jar netlib-examples.jar COMMAND [ARGS]}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "demo" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "demo" -> QuickStart.main(rest); // replaced by the S1 demo once the network layer lands
            case "bench" -> EndpointBench.main(rest);
            case "nft-bench" -> NftBench.main(rest);
            default -> {
                System.err.println("""
                        usage: java -jar netlib-examples.jar COMMAND
                          demo            build a small topology and show it working (root: real kernel; otherwise FakeKernel)
                          bench up N      set up N benchmark endpoints (shared/bench harness, method ext)
                          bench down N    tear them down
                          nft-bench [N]   N DNAT port mappings in one nf_tables batch, and single add/remove latency (root)
                        """);
                System.exit(2);
            }
        }
    }
}
