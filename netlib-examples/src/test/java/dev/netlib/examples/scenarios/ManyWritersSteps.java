package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.error.NetlibException;
import dev.netlib.network.ConcurrentChangeException;
import dev.netlib.network.EndpointBuilder;
import dev.netlib.network.NetworkInUseException;
import dev.netlib.network.NetworkNotFoundException;
import dev.netlib.network.Networks;
import java.util.List;
import java.util.Random;

/**
 * The random work of one writer among several on the same networks ({@code n0..n2}), containers
 * (the namespaces given, named as the containers) and host ports (18000-18003): create and remove
 * networks, connect (half of them publishing a port) and disconnect, publish and unpublish,
 * disconnect a container from all, reconcile with repairs. Shared by {@link ManyWritersFakeTest}
 * (writers as threads on FakeKernel) and {@link ManyWritersChild} (writers as JVMs on the kernel).
 */
final class ManyWritersSteps {
    static final List<String> NETWORKS = List.of("n0", "n1", "n2");

    private ManyWritersSteps() {}

    /** What one step did. */
    enum Outcome { DONE, REFUSED }

    /**
     * One random operation. A refusal that another writer's work explains (the network gone or in
     * use, the port or the endpoint taken, a record changed meanwhile, a port published between the
     * check and the batch: the kernel's EEXIST for its element) is {@link Outcome#REFUSED}; anything
     * else, or a finding of a reconcile beside the others' live work, throws {@link Unexpected}.
     */
    static Outcome step(Networks networks, List<Namespace> boxes, Random random) {
        String n = NETWORKS.get(random.nextInt(NETWORKS.size()));
        Namespace box = boxes.get(random.nextInt(boxes.size()));
        String c = box.name().orElseThrow();
        String port = (18000 + random.nextInt(4)) + ":" + (80 + random.nextInt(2));
        int pick = random.nextInt(100);
        String what = "?";
        try {
            if (pick < 15) {
                what = "create " + n;
                networks.create(n).create();
            } else if (pick < 25) {
                what = "remove " + n;
                networks.remove(n);
            } else if (pick < 50) {
                what = "connect " + c + " to " + n;
                EndpointBuilder b = networks.endpoint(n, box);
                if (random.nextBoolean()) {
                    what += " -p " + port;
                    b.publish(port);
                }
                b.connect();
            } else if (pick < 65) {
                what = "disconnect " + c + " from " + n;
                networks.disconnect(n, c);
            } else if (pick < 75) {
                what = "publish " + port + " of " + c + " on " + n;
                networks.findEndpoint(n, c).ifPresent(e -> e.publish(port));
            } else if (pick < 85) {
                what = "unpublish of " + c + " on " + n;
                var e = networks.findEndpoint(n, c);
                if (e.isPresent() && !e.get().ports().isEmpty()) {
                    e.get().unpublish(e.get().ports().get(0));
                }
            } else if (pick < 90) {
                what = "disconnectAll " + c;
                networks.disconnectAll(c);
            } else {
                what = "reconcile";
                var findings = networks.reconcile(true).findings();
                if (!findings.isEmpty()) {
                    throw new Unexpected("reconcile beside the others found " + findings);
                }
            }
            return Outcome.DONE;
        } catch (NetworkNotFoundException | NetworkInUseException | ConcurrentChangeException | InvalidConfigException refusal) {
            return Outcome.REFUSED;
        } catch (AlreadyExistsException e) {
            if (e.getMessage().contains("in published")) {
                return Outcome.REFUSED;
            }
            throw new Unexpected(what + ": " + e);
        } catch (NetlibException | IllegalStateException e) {
            throw new Unexpected(what + ": " + e);
        }
    }

    /** A failure no other writer's work explains. */
    static final class Unexpected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unexpected(String message) {
            super(message);
        }
    }
}
