package dev.netlib.fake;

import dev.netlib.Netlib;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh {@link FakeKernel} and a {@link Netlib} handle on its root namespace, per test; closed after. */
public abstract class FakeHostFixture {
    protected FakeKernel kernel;
    protected Netlib host;

    @BeforeEach
    void openFakeHost() {
        kernel = new FakeKernel();
        host = Netlib.open(kernel);
    }

    @AfterEach
    void closeFakeHost() {
        host.close();
        kernel.close();
    }
}
