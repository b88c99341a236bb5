package dev.netlib.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Netlib;
import dev.netlib.model.RouteInfo;
import dev.netlib.test.NetlibTest;
import dev.netlib.test.RealKernel;
import org.junit.jupiter.api.Test;

// The README's "Testing your code" example, compiled and run as it stands there (ReadmeSnippetsTest
// checks the README's copy is this text).
// testing:begin
@NetlibTest
class BridgeTest {
    @Test
    void onFakeKernel(Netlib host) {              // a fresh FakeKernel per test: no privileges
        host.bridge("br0").up().create().addAddress("10.1.0.1/24");
        assertThat(host.routes().list()).extracting(RouteInfo::device).contains("br0");
        host.link("br0").delete();
    }

    @Test
    @RealKernel                                    // a throwaway namespace on the real kernel
    void onTheRealKernel(Netlib host) {
        host.bridge("br0").up().create().addAddress("10.1.0.1/24");
        assertThat(host.routes().list()).extracting(RouteInfo::device).contains("br0");
        host.link("br0").delete();
    }
}
// testing:end
