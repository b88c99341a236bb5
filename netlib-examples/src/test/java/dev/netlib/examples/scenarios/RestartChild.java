package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.ipam.FileIpamStore;
import dev.netlib.ipam.IpamStore;
import dev.netlib.network.Networks;
import java.nio.file.Path;

/**
 * The other JVM of {@link RestartKernelTest}: {@code create STORE ETC PREFIX} defines a network and
 * connects PREFIX-box1; {@code crash STORE ETC PREFIX} connects PREFIX-box3 and dies (halt, no
 * cleanup, no journal) the moment it is about to write the endpoint's definition, after the kernel
 * changes.
 */
public final class RestartChild {
    private RestartChild() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        IpamStore store = FileIpamStore.open(Path.of(args[1]));
        if (mode.equals("crash")) {
            store = dying(store);
        }
        try (Netlib netlib = Netlib.open()) {
            String prefix = args[3];
            Namespace hostNs = netlib.namespaces().open(prefix + "host");
            Networks networks = Networks.builder(netlib.in(hostNs)).store(store).etcNetns(Path.of(args[2])).open();
            if (mode.equals("create")) {
                networks.create("restart_net").subnet("10.55.0.0/24").create();
                Namespace box1 = netlib.namespaces().open(prefix + "box1");
                System.out.println("child connected " + networks.endpoint("restart_net", box1).name("box1").connect());
            } else {
                Namespace box3 = netlib.namespaces().open(prefix + "box3");
                networks.endpoint("restart_net", box3).name("box3").connect();
                System.out.println("child: the crash did not happen");
            }
        }
        System.exit(0);
    }

    /** A store that halts the JVM when the endpoint definition is about to be written. */
    static IpamStore dying(IpamStore inner) {
        return new WriteHookStore(inner, key -> {
            if (key.startsWith("network/endpoints/")) {
                System.out.println("child: dying before writing " + key);
                System.out.flush();
                Runtime.getRuntime().halt(3);
            }
        });
    }
}
