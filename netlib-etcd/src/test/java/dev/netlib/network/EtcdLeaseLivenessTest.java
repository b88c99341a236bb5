package dev.netlib.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Netlib;
import dev.netlib.fake.FakeKernel;
import dev.netlib.ipam.etcd.EtcdIpamStore;
import dev.netlib.ipam.etcd.EtcdForTests;
import dev.netlib.testing.etcd.ThrowawayEtcd;
import dev.netlib.value.IpAddresses;
import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Liveness across hosts on etcd: an operation's owner carries its process's etcd lease, so reconcile
 * on another machine (another boot id: pid and /proc say nothing there) leaves the work alone while
 * the lease lives, and finishes or rolls back its records once the lease was revoked (a clean close)
 * or expired (a process killed, or cut off from etcd), never touching this machine's kernel objects
 * that happen to carry the other host's link names.
 */
class EtcdLeaseLivenessTest {
    @Test
    void anotherHostsWorkIsLeftAloneWhileItsLeaseLivesAndItsRecordsCleanedOnceTheLeaseIsGone() throws Exception {
        Assumptions.assumeTrue(ThrowawayEtcd.binary().isPresent(), "etcd binary not found on PATH: install Debian's etcd-server");
        String ns = "nli-lease/" + UUID.randomUUID() + "/";
        FakeKernel kernel = new FakeKernel();
        Netlib root = Netlib.open(kernel);
        Netlib host = root.in(root.namespaces().create("nll-host"));
        try (ThrowawayEtcd etcd = EtcdForTests.start();
             EtcdIpamStore mine = EtcdIpamStore.builder().endpoints(etcd.endpoint()).namespace(ns).build();
             EtcdIpamStore other = EtcdIpamStore.builder().endpoints(etcd.endpoint()).namespace(ns).build();
             Client raw = Client.builder().endpoints(etcd.endpoint()).build()) {
            Networks nets = Networks.builder(host).store(mine).etcNetns(null).open();
            nets.create("n").subnet("10.50.0.0/24").create();
            State state = new State(mine, false);

            // two operations of processes on another machine (another boot id), in flight: a connect
            // whose process holds its lease (the other store), and one whose lease will expire
            // without a keep-alive (a process killed there); each has its note and its address lease
            long expiring = raw.getLeaseClient().grant(2).get().getID();
            Owner alive = new Owner("a11ce-0001", 4242, 77, 1, other.processLease());
            Owner killed = new Owner("a11ce-0002", 4343, 88, 1, expiring);
            inFlight(state, "a", alive, "10.50.0.9", "veth-a1");
            inFlight(state, "b", killed, "10.50.0.10", "veth-b1");
            // this machine happens to have links with those names: the other host's are not here
            host.bridge("veth-a1").create();
            host.bridge("veth-b1").create();

            assertThat(nets.reconcile(false).findings()).as("both owners' leases exist").isEmpty();

            other.close(); // a clean close revokes the lease at once
            Thread.sleep(3000); // and the un-kept lease expires (time to live 2 s)
            ReconcileReport report = nets.reconcile(true);
            assertThat(report.findings()).extracting(ReconcileReport.Finding::subject)
                    .contains("connect a to n", "connect b to n", "address lease 10.50.0.9 on n", "address lease 10.50.0.10 on n");
            assertThat(report.findings()).filteredOn(f -> f.subject().startsWith("connect"))
                    .allMatch(f -> f.problem().contains("another machine") && f.repaired());
            assertThat(mine.list(State.PENDING)).isEmpty();
            assertThat(mine.list(State.LEASES)).isEmpty();
            assertThat(host.findLink("veth-a1")).as("this machine's link of the same name").isPresent();
            assertThat(host.findLink("veth-b1")).isPresent();
            assertThat(nets.reconcile(false).isClean()).isTrue();

            // this process's own operations carry its lease, which exists while the store is open
            nets.connect("n", root.namespaces().create("nll-box"));
            long myLease = mine.processLease();
            assertThat(mine.leaseExists(myLease)).isTrue();
            assertThat(mine.list(State.LEASES).values()).allMatch(v -> v.value().contains(Long.toHexString(myLease)));
            nets.close();
        }
    }

    /** A connect of {@code container} by {@code owner} stopped after its note and its address lease. */
    private static void inFlight(State state, String container, Owner owner, String ip, String link) {
        Journal j = new Journal("test");
        state.create(j, State.PENDING + "note-" + container, new Pending("connect " + container + " to n", true,
                State.endpointKey("n", container), List.of(KernelLink.onHost(link)), List.of(), List.of(), owner).encode(), "exists");
        state.create(j, State.leaseKey("n", IpAddresses.parse(ip)), new Lease(container, owner).encode(), "exists");
        j.commit();
    }
}
