package dev.netlib.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test (or every test of the annotated class) on the real Linux kernel: the
 * injected {@code Netlib} is bound to a throwaway network namespace ({@code nlsb-<pid>-<random>})
 * made for the test and deleted after it, together with every named namespace the test made and
 * did not delete. The test is skipped, with the reason, when the process lacks CAP_NET_ADMIN or
 * CAP_SYS_ADMIN ({@link Privileges}). Implies {@link NetlibTest}.
 *
 * <p>Only the sandbox and the namespaces the test creates are touched: the machine's own links,
 * addresses, routes and nftables tables never are.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(NetlibExtension.class)
public @interface RealKernel {
}
