package dev.netlib.fake;

import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;

/** The fake's kernel errors; {@code kernelMessage} is the kernel's own extended-ack text, or null where it sends none. */
final class Fail {
    private Fail() {}

    static KernelException of(Errno errno, String operation, String kernelMessage) {
        return KernelException.of(errno, operation, kernelMessage);
    }

    static KernelException noDevice(String operation) {
        return of(Errno.ENODEV, operation, null);
    }
}
