package dev.netlib.fake;

import dev.netlib.contract.FailedCreateContract;
import dev.netlib.model.NetnsRef;
import dev.netlib.spi.Backend;

/** A refused link creation changes nothing on FakeKernel either (the same tests as on the kernel). */
class FakeFailedCreateTest extends FailedCreateContract {
    private FakeKernel kernel;

    @Override
    protected Backend createBackend() {
        kernel = new FakeKernel();
        return kernel;
    }

    @Override
    protected long namespaceInodeOfCurrentThread() {
        return kernel.namespaceOfCurrentThread().map(NetnsRef::inode).orElse(kernel.root().inode());
    }
}
