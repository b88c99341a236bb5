package dev.netlib.test;

import dev.netlib.Netlib;
import dev.netlib.fake.FakeKernel;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/**
 * The JUnit 5 extension behind {@link NetlibTest} and {@link RealKernel}. For each test it:
 * <ol>
 *   <li>skips the test, with the reason, if it is a {@link RealKernel} test and the process lacks
 *       the capabilities ({@link Privileges});</li>
 *   <li>makes a sandbox before the test's {@code @BeforeEach} methods run: a new {@link FakeKernel},
 *       or a throwaway namespace on the real kernel;</li>
 *   <li>injects {@link Netlib} parameters (the sandbox's handle) and, on FakeKernel, {@link
 *       FakeKernel} parameters, into test, {@code @BeforeEach} and {@code @AfterEach} methods;</li>
 *   <li>when the test method throws, attaches an {@code ip}-style dump of the sandbox (links,
 *       addresses, routes, neighbours, FDB, netlib's nft rules) to the failure, as a suppressed
 *       exception and as a report entry;</li>
 *   <li>after the {@code @AfterEach} methods, fails a test that passed if it left anything behind
 *       (named namespaces it created, links or nft rules added to the sandbox, namespace mounts, netlib
 *       threads still running once the backend is closed), naming each; then removes it all.</li>
 * </ol>
 * Register it with {@code @NetlibTest}, {@code @RealKernel} or {@code @ExtendWith(NetlibExtension.class)}.
 *
 * <p>The thread check counts the {@code netlib-*} threads that started during the test, so it
 * assumes tests of one JVM run one at a time (JUnit's default); with parallel execution another
 * test's threads would be blamed. Leftovers are given up to 3 seconds to go on their own first:
 * the kernel destroys a deleted namespace's links asynchronously.
 */
public final class NetlibExtension
        implements ExecutionCondition, BeforeEachCallback, AfterEachCallback, ParameterResolver, TestExecutionExceptionHandler {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(NetlibExtension.class);

    /** Made by JUnit, through the annotations. */
    public NetlibExtension() {}

    private static boolean wantsRealKernel(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<AnnotatedElement> element = c.get().getElement();
            if (element.isPresent() && AnnotationSupport.isAnnotated(element.get(), RealKernel.class)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!wantsRealKernel(context)) {
            return ConditionEvaluationResult.enabled("runs on FakeKernel");
        }
        Optional<String> reason = Privileges.reasonIfNot();
        return reason.isPresent() ? ConditionEvaluationResult.disabled("@RealKernel test skipped: " + reason.get())
                : ConditionEvaluationResult.enabled("runs on the real kernel in a throwaway namespace");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Sandbox sandbox = wantsRealKernel(context) ? Sandbox.onRealKernel() : Sandbox.onFakeKernel();
        // Also a CloseableResource: if JUnit never calls afterEach (an aborted run), the store still cleans up.
        context.getStore(STORE).put(Sandbox.class, (ExtensionContext.Store.CloseableResource) sandbox::close);
        context.getStore(STORE).put(Holder.class, new Holder(sandbox));
    }

    /** Keeps the sandbox apart from its close hook in the store. */
    private record Holder(Sandbox sandbox) {}

    private static Sandbox sandbox(ExtensionContext context) {
        Holder h = context.getStore(STORE).get(Holder.class, Holder.class);
        return h == null ? null : h.sandbox();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Netlib.class || type == FakeKernel.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Sandbox sandbox = sandbox(context);
        if (sandbox == null) {
            throw new ParameterResolutionException("netlib-test injects a Netlib into test, @BeforeEach and @AfterEach "
                    + "methods only, not into constructors or @BeforeAll methods");
        }
        if (parameter.getParameter().getType() == FakeKernel.class) {
            if (sandbox.fakeKernel() == null) {
                throw new ParameterResolutionException("a @RealKernel test has no FakeKernel to inject");
            }
            return sandbox.fakeKernel();
        }
        return sandbox.netlib();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        Sandbox sandbox = sandbox(context);
        if (sandbox != null) {
            String dump;
            try {
                dump = sandbox.dump();
            } catch (RuntimeException e) {
                dump = "netlib sandbox: could not be dumped: " + e;
            }
            failure.addSuppressed(new SandboxDump(dump));
            context.publishReportEntry("netlib-sandbox", dump);
        }
        throw failure;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Sandbox sandbox = sandbox(context);
        if (sandbox == null) {
            return;
        }
        context.getStore(STORE).remove(Holder.class);
        context.getStore(STORE).remove(Sandbox.class);
        List<String> left = new ArrayList<>();
        String dump = null;
        try {
            left.addAll(sandbox.leftovers());
            if (!left.isEmpty()) {
                dump = sandbox.dump();
            }
        } finally {
            left.addAll(sandbox.close());
        }
        // A failed test stops before its own clean-up: what it left is expected, its failure is the news.
        if (!left.isEmpty() && context.getExecutionException().isEmpty()) {
            AssertionFailedError e = new AssertionFailedError("the test left behind, in " + sandbox.describe() + ":\n  "
                    + String.join("\n  ", left) + "\n(netlib-test removed it after this check)");
            if (dump != null) {
                e.addSuppressed(new SandboxDump(dump));
            }
            throw e;
        }
    }
}
