package dev.netlib.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.KernelException;
import dev.netlib.error.PermissionDeniedException;
import dev.netlib.model.BridgeSpec;
import dev.netlib.model.LinkAttributes;
import dev.netlib.model.LinkInfo;
import dev.netlib.spi.change.AddRoute;
import dev.netlib.spi.change.CreateLink;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fault injection and request counting of FakeKernel. */
class FakeKernelFaultsTest extends FakeHostFixture {
    private static final int EPERM = 1;
    private static final int EIO = 5;
    private static final int ENOMEM = 12;

    private Netlib ns;

    @BeforeEach
    void openNamespace() {
        Namespace n = host.namespaces().create("c1");
        ns = host.in(n);
        kernel.resetCounts();
    }

    @Test
    void theNthRequestFailsReadsIncluded() {
        kernel.failNth(2, EIO);
        ns.links(); // 1
        KernelException e = catchThrowableOfType(ns::links, KernelException.class); // 2
        assertThat(e.errno().name()).isEqualTo("EIO");
        assertThat(e.kernelMessage()).hasValue("fault injected by FakeKernel");
        assertThat(e.operation()).isEqualTo("ip -d link show");
        assertThat(ns.links()).extracting(LinkInfo::name).containsExactly("lo"); // 3: the fault is used up
    }

    @Test
    void aFaultInsideABatchFailsOnlyThatChange() {
        kernel.failNth(2, ENOMEM);
        List<CreateLink> changes = List.of(
                new CreateLink("br0", LinkAttributes.NONE, BridgeSpec.DEFAULT),
                new CreateLink("br1", LinkAttributes.NONE, BridgeSpec.DEFAULT),
                new CreateLink("br2", LinkAttributes.NONE, BridgeSpec.DEFAULT));
        KernelException e = catchThrowableOfType(() -> kernel.apply(ns.namespace().ref(), changes), KernelException.class);
        assertThat(e.errno().name()).isEqualTo("ENOMEM");
        assertThat(e.batchIndex()).isEqualTo(1);
        assertThat(e.appliedInBatch()).containsExactly(0, 2);
        assertThat(ns.links()).extracting(LinkInfo::name).containsExactly("lo", "br0", "br2");
        assertThat(kernel.history()).containsSubsequence("ip -n c1 link add name br0 type bridge", "ip -n c1 link add name br2 type bridge")
                .noneMatch(c -> c.contains("br1"));
    }

    @Test
    void theNextChangeOfAKindFails() {
        ns.veth("v0").up().peer("v1").create();
        ns.link("v1").up();
        ns.addresses().add("v0", "10.0.0.2/24");
        kernel.failNext(AddRoute.class, EPERM);
        ns.addresses().add("v0", "10.0.1.2/24"); // not a route: unaffected
        FakeSnapshot before = kernel.snapshot();
        assertThatThrownBy(() -> ns.routes().addDefault("10.0.0.1"))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("ip -n c1 route add default via 10.0.0.1")
                .hasMessageContaining("CAP_NET_ADMIN");
        assertThat(kernel.snapshot()).as("an injected failure changes nothing").isEqualTo(before);
        ns.routes().addDefault("10.0.0.1");
        assertThat(ns.routes().defaults()).hasSize(1);
    }

    @Test
    void clearFaultsForgetsThemAll() {
        kernel.failNth(1, EIO);
        kernel.failNext(CreateLink.class, EIO);
        kernel.clearFaults();
        ns.bridge("br0").create();
        assertThat(ns.findLink("br0")).isPresent();
    }

    @Test
    void severalCountdownsCanBePending() {
        kernel.failNth(1, EIO);
        kernel.failNth(3, dev.netlib.error.Errno.ENOMEM);
        assertThatThrownBy(ns::links).isInstanceOf(KernelException.class).hasMessageContaining("EIO");
        ns.links();
        assertThatThrownBy(ns::links).isInstanceOf(KernelException.class).hasMessageContaining("ENOMEM");
        ns.links();
    }

    @Test
    void requestsAndChangesAreCounted() {
        assertThat(kernel.requestCount()).isZero();
        ns.links();
        ns.findLink("lo");
        assertThat(kernel.requestCount()).isEqualTo(2);
        assertThat(kernel.changeCount()).isZero();
        ns.batch().linkUp("lo").addAddress("lo", "10.9.9.9/32").apply();
        assertThat(kernel.requestCount()).isEqualTo(4);
        assertThat(kernel.changeCount()).isEqualTo(2);
        assertThatThrownBy(() -> ns.dummy("lo").create()).isInstanceOf(KernelException.class);
        assertThat(kernel.changeCount()).as("refused changes count too").isEqualTo(3);
        kernel.snapshot();
        kernel.history();
        assertThat(kernel.requestCount()).as("test controls are no requests").isEqualTo(5);
        kernel.resetCounts();
        assertThat(kernel.requestCount()).isZero();
        assertThat(kernel.changeCount()).isZero();
    }

    @Test
    void countingStartsAtTheNextRequest() {
        assertThatThrownBy(() -> kernel.failNth(0, EIO)).isInstanceOf(IllegalArgumentException.class);
    }
}
