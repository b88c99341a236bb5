package dev.netlib.ipam;

/** The IpPool contract on the in-memory store. */
class MemoryIpPoolTest extends IpPoolContract {
    @Override
    protected IpamStore newStore() {
        return new MemoryIpamStore();
    }
}
