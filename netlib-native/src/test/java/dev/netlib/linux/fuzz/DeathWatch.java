package dev.netlib.linux.fuzz;

import dev.netlib.Namespace;
import dev.netlib.Netlib;

/**
 * Tells when the kernel has destroyed a namespace whose last reference the fuzzer gave back.
 * Dropping that reference only queues the namespace for cleanup_net(), a work item of the netns
 * workqueue that runs later (__put_net() -> queue_work()); its devices go there, under RTNL
 * (ops_undo_list() -> ops_exit_rtnl_list() and the device exit, in the reverse order the pernet
 * operations registered: the vxlans made from it wherever they live, vxlan_exit_rtnl(); each of its
 * veths with its peer wherever that is, veth_dellink()), each batch in one
 * unregister_netdevice_many(). Until then the survivors still show the dying namespace's veth
 * peers, so the next operation and the comparison would meet a state FakeKernel, which destroys
 * the namespace at once, never has.
 *
 * <p>No event says when cleanup_net() is done, and any handle on the namespace would keep it alive.
 * So before the last reference goes a canary is planted: a veth in the dying namespace whose peer
 * lives in a probe namespace of the fuzzer's own (not compared). The peer goes in the same
 * unregister batch as the dying namespace's own devices, after the vxlan exit, so once it is gone
 * from the probe, the namespace's devices are; what their unregistering set off in other namespaces
 * (linkwatch, macvlans over them) is then waited for as after any other operation.
 */
final class DeathWatch implements AutoCloseable {
    /** How long cleanup_net() may take on a loaded machine before the namespace counts as not dying. */
    private static final long DEADLINE_MILLIS = 20_000;
    private static final long POLL_MILLIS = 2;

    private final Netlib root;
    private final String probeName;
    /** Made with the first canary: a run that kills no namespace makes none. */
    private Namespace probe;
    private int planted;

    /** A watch whose probe namespace, made when first needed, is named {@code probeName}. */
    DeathWatch(Netlib root, String probeName) {
        this.root = root;
        this.probeName = probeName;
    }

    /** One canary: the name of its end in the probe namespace. */
    record Canary(String name) {}

    /** Plants a canary in the namespace {@code dying} acts in. */
    Canary plant(Netlib dying) {
        if (probe == null) {
            probe = root.namespaces().create(probeName);
        }
        String name = "zc" + planted++;
        dying.veth(name).peer(name, p -> p.namespace(probe)).create();
        return new Canary(name);
    }

    /** Waits until the canary's probe end is gone: the namespace it was planted in is destroyed. */
    void await(Canary canary, String what) {
        Netlib in = root.in(probe);
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        while (in.findLink(canary.name()).isPresent()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("namespace " + what + " still alive " + DEADLINE_MILLIS + " ms after its last reference went");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        if (probe != null) {
            probe.close();
        }
    }
}
