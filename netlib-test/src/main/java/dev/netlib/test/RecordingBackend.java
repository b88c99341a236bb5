package dev.netlib.test;

import dev.netlib.spi.Backend;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * Passes every call on to a backend and remembers the names of the namespaces created through it,
 * so the leak check blames a test only for what it made: other processes (a parallel build, a
 * container runtime) create namespaces on the same machine at the same time. A dynamic proxy, so
 * methods added to {@link Backend} later pass through without a change here.
 */
final class RecordingBackend implements InvocationHandler {
    private final Backend delegate;
    private final List<String> createdNames = new ArrayList<>();

    private RecordingBackend(Backend delegate) {
        this.delegate = delegate;
    }

    /** The recorder; {@link #backend()} is what netlib is opened on. */
    static RecordingBackend around(Backend delegate) {
        return new RecordingBackend(delegate);
    }

    Backend backend() {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, this);
    }

    Backend delegate() {
        return delegate;
    }

    /** Names given to {@link Backend#createNamespace}, in order, whether or not they still exist. */
    synchronized List<String> createdNames() {
        return List.copyOf(createdNames);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("equals") && args != null && args.length == 1) {
            return proxy == args[0];
        }
        Object result;
        try {
            result = method.invoke(delegate, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (method.getName().equals("createNamespace") && args != null && args[0] instanceof String name) {
            synchronized (this) {
                createdNames.add(name);
            }
        }
        return result;
    }
}
