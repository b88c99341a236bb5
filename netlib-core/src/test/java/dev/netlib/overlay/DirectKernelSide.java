package dev.netlib.overlay;

import dev.netlib.Netlib;
import dev.netlib.fake.FakeKernel;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.nio.file.Path;

/** What the tests that drive one {@link OverlayKernel} directly share: the network, the host, the kernel side. */
final class DirectKernelSide {
    static final OverlayNetwork NET = new OverlayNetwork("0123456789ab", "my_olay", IpPrefix.parse("10.0.0.0/24"),
            IpAddresses.parse("10.0.0.1"), 0x100000, 1450, false);

    private DirectKernelSide() {}

    /** A host on {@code kernel}: an uplink eth0 with the VTEP's address, 10.99.0.2. */
    static Netlib host(FakeKernel kernel) {
        Netlib host = Netlib.open(kernel);
        host.dummy("eth0").up().create();
        host.addresses().add("eth0", "10.99.0.2/24");
        return host;
    }

    /** An agent's kernel side on {@code host}, with the record of entries it wrote under {@code records}; devices made. */
    static OverlayKernel kernel(Netlib host, Path records) {
        OverlayKernel k = new OverlayKernel(host, IpAddresses.parse("10.99.0.2"), "eth0", 4789, new WrittenRecords(records, host.ref().inode()));
        k.ensureDevices(NET, 1450);
        return k;
    }
}
