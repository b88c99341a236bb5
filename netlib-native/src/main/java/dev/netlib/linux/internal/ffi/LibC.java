package dev.netlib.linux.internal.ffi;

import java.nio.ByteBuffer;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Transient;

/**
 * The libc calls netlib makes ({@link Syscalls#libc()}), implemented by {@link JffiLibC}, which
 * binds each one on its first call. Every call saves errno so {@link Syscalls} can read it right
 * after the call, on the same thread. The jnr-ffi annotations document the parameters' direction
 * (and let {@code LibraryLoader.create(LibC.class)} bind the same interface, as earlier versions did).
 */
public interface LibC {
    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    int bind(int fd, @In @Transient ByteBuffer address, int addressLength);

    @SaveError
    int getsockname(int fd, @Out @Transient ByteBuffer address, @In @Out @Transient int[] addressLength);

    @SaveError
    int setsockopt(int fd, int level, int option, @In @Transient int[] value, int valueLength);

    @SaveError
    long sendto(int fd, @In @Transient ByteBuffer buffer, long length, int flags, Pointer address, int addressLength);

    @SaveError
    long recvfrom(int fd, @Out @Transient ByteBuffer buffer, long length, int flags, Pointer address, Pointer addressLength);

    @SaveError
    int close(int fd);

    @SaveError
    int open(String path, int flags, int mode);

    @SaveError
    long read(int fd, @Out @Transient byte[] buffer, long length);

    @SaveError
    long write(int fd, @In @Transient byte[] buffer, long length);

    @SaveError
    int setns(int fd, int nstype);

    @SaveError
    int unshare(int flags);

    @SaveError
    int mount(String source, String target, String filesystemType, long flags, Pointer data);

    @SaveError
    int umount2(String target, int flags);

    @SaveError
    int unlink(String path);

    @SaveError
    int gettid();

    @SaveError
    int getpid();

    @SaveError
    int geteuid();
}
