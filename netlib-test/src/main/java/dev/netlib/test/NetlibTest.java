package dev.netlib.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Turns on netlib's test kit ({@link NetlibExtension}) for a test class or method: each test gets a
 * fresh {@code Netlib} parameter on an in-memory {@code FakeKernel} (no privileges needed), or with
 * {@link RealKernel} a throwaway network namespace on the real kernel; afterwards the test fails if
 * it left anything behind, and a failed test's report carries a dump of the sandbox.
 *
 * <pre>{@code
 * @NetlibTest
 * class BridgeTest {
 *     @Test
 *     void createsABridge(Netlib host) {
 *         host.bridge("br0").create();
 *         assertThat(host.links()).extracting(LinkInfo::name).contains("br0");
 *         host.link("br0").delete();
 *     }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(NetlibExtension.class)
public @interface NetlibTest {
}
