package dev.netlib.fake;

import dev.netlib.contract.BackendContract;
import dev.netlib.model.NetnsRef;
import dev.netlib.spi.Backend;

/** The backend contract on FakeKernel: proves the fake behaves as the suite says the kernel does. */
class FakeKernelContractTest extends BackendContract {
    private FakeKernel kernel;

    @Override
    protected Backend createBackend() {
        kernel = new FakeKernel();
        return kernel;
    }

    /** The fake cannot switch namespaces; it tells a task which namespace it was run "in". */
    @Override
    protected long namespaceInodeOfCurrentThread() {
        return kernel.namespaceOfCurrentThread().map(NetnsRef::inode).orElse(kernel.root().inode());
    }
}
