package dev.netlib.linux.internal.netns;

/**
 * Run by {@link NetnsPermissionKernelTest} in a JVM without capabilities: tries to create a named
 * and an anonymous namespace and prints what it got, one line each.
 */
public final class NoCapsProbe {
    private NoCapsProbe() {}

    public static void main(String[] args) {
        try (NetnsManager mgr = new NetnsManager()) {
            for (String name : new String[] {args[0], null}) {
                try {
                    LinuxNetns ns = mgr.create(name);
                    mgr.delete(ns);
                    System.out.println("CREATED " + name);
                } catch (RuntimeException e) {
                    System.out.println("FAILED " + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        }
    }
}
