package dev.netlib.linux.internal.ffi;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.Library;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Pointer;

/**
 * {@link LibC} on jffi's raw invoker (the layer under jnr-ffi), with each function bound on its
 * first call. jnr-ffi's {@code LibraryLoader} generates and loads a bytecode stub for every method
 * of the interface when the library is loaded, and that was most of netlib's start-up (~0.3 s of
 * 0.5 s, issue 13); here a call is a symbol lookup the first time (dlsym) and one JNI call (with
 * errno saved by jffi) every time. Strings, int arrays and heap buffers are copied into a per-thread
 * native scratch area; direct buffers are passed by address (plus their position, as jnr-ffi's
 * {@code @Transient} does), so the netlink buffers are never copied here.
 */
final class JffiLibC implements LibC {
    private static final Invoker INVOKER = Invoker.getInstance();
    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    private static final Type INT = Type.SINT32;
    private static final Type PTR = Type.POINTER;
    private static final Type SIZE = Type.SLONG; // size_t / ssize_t: the native word
    /** A subclass, not withInitial(Scratch::new): no lambda on a fresh JVM's first call (issue 13). */
    private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    private final Library library;
    private final Fn socket;
    private final Fn bind;
    private final Fn getsockname;
    private final Fn setsockopt;
    private final Fn sendto;
    private final Fn recvfrom;
    private final Fn close;
    private final Fn open;
    private final Fn read;
    private final Fn write;
    private final Fn setns;
    private final Fn unshare;
    private final Fn mount;
    private final Fn umount2;
    private final Fn unlink;
    private final Fn gettid;
    private final Fn getpid;
    private final Fn geteuid;

    JffiLibC() {
        library = Library.getDefault(); // the process's own symbols: libc is already loaded by the JVM
        if (library == null) {
            throw new IllegalStateException("dlopen(NULL): " + Library.getLastError());
        }
        socket = new Fn("socket", INT, INT, INT, INT);
        bind = new Fn("bind", INT, INT, PTR, INT);
        getsockname = new Fn("getsockname", INT, INT, PTR, PTR);
        setsockopt = new Fn("setsockopt", INT, INT, INT, INT, PTR, INT);
        sendto = new Fn("sendto", SIZE, INT, PTR, SIZE, INT, PTR, INT);
        recvfrom = new Fn("recvfrom", SIZE, INT, PTR, SIZE, INT, PTR, PTR);
        close = new Fn("close", INT, INT);
        open = new Fn("open", INT, PTR, INT, INT);
        read = new Fn("read", SIZE, INT, PTR, SIZE);
        write = new Fn("write", SIZE, INT, PTR, SIZE);
        setns = new Fn("setns", INT, INT, INT);
        unshare = new Fn("unshare", INT, INT);
        mount = new Fn("mount", INT, PTR, PTR, PTR, SIZE, PTR);
        umount2 = new Fn("umount2", INT, PTR, INT);
        unlink = new Fn("unlink", INT, PTR);
        gettid = new Fn("gettid", INT);
        getpid = new Fn("getpid", INT);
        geteuid = new Fn("geteuid", INT);
    }

    /** errno saved by the last call of this thread. */
    static int lastError() {
        return com.kenai.jffi.LastError.getInstance().get();
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return INVOKER.invokeI3(socket.context(), socket.address(), domain, type, protocol);
    }

    @Override
    public int bind(int fd, ByteBuffer address, int addressLength) {
        Scratch s = SCRATCH.get().reset();
        long a = s.in(address);
        return (int) INVOKER.invokeN3(bind.context(), bind.address(), fd, a, addressLength);
    }

    @Override
    public int getsockname(int fd, ByteBuffer address, int[] addressLength) {
        Scratch s = SCRATCH.get().reset();
        long a = s.out(address);
        long len = s.ints(addressLength);
        int rc = (int) INVOKER.invokeN3(getsockname.context(), getsockname.address(), fd, a, len);
        s.copyBack(address, a);
        s.readInts(len, addressLength);
        return rc;
    }

    @Override
    public int setsockopt(int fd, int level, int option, int[] value, int valueLength) {
        Scratch s = SCRATCH.get().reset();
        long v = s.ints(value);
        return (int) INVOKER.invokeN5(setsockopt.context(), setsockopt.address(), fd, level, option, v, valueLength);
    }

    @Override
    public long sendto(int fd, ByteBuffer buffer, long length, int flags, Pointer address, int addressLength) {
        Scratch s = SCRATCH.get().reset();
        long b = s.in(buffer);
        return INVOKER.invokeN6(sendto.context(), sendto.address(), fd, b, length, flags, addressOf(address), addressLength);
    }

    @Override
    public long recvfrom(int fd, ByteBuffer buffer, long length, int flags, Pointer address, Pointer addressLength) {
        Scratch s = SCRATCH.get().reset();
        long b = s.out(buffer);
        long n = INVOKER.invokeN6(recvfrom.context(), recvfrom.address(), fd, b, length, flags, addressOf(address),
                addressOf(addressLength));
        s.copyBack(buffer, b);
        return n;
    }

    @Override
    public int close(int fd) {
        return INVOKER.invokeI1(close.context(), close.address(), fd);
    }

    @Override
    public int open(String path, int flags, int mode) {
        Scratch s = SCRATCH.get().reset();
        long p = s.string(path);
        return (int) INVOKER.invokeN3(open.context(), open.address(), p, flags, mode);
    }

    @Override
    public long read(int fd, byte[] buffer, long length) {
        Scratch s = SCRATCH.get().reset();
        long b = s.bytes(null, (int) length);
        long n = INVOKER.invokeN3(read.context(), read.address(), fd, b, length);
        if (n > 0) {
            MEMORY.getByteArray(b, buffer, 0, (int) n);
        }
        return n;
    }

    @Override
    public long write(int fd, byte[] buffer, long length) {
        Scratch s = SCRATCH.get().reset();
        long b = s.bytes(buffer, (int) length);
        return INVOKER.invokeN3(write.context(), write.address(), fd, b, length);
    }

    @Override
    public int setns(int fd, int nstype) {
        return INVOKER.invokeI2(setns.context(), setns.address(), fd, nstype);
    }

    @Override
    public int unshare(int flags) {
        return INVOKER.invokeI1(unshare.context(), unshare.address(), flags);
    }

    @Override
    public int mount(String source, String target, String filesystemType, long flags, Pointer data) {
        Scratch s = SCRATCH.get().reset();
        long src = s.string(source);
        long tgt = s.string(target);
        long fs = s.string(filesystemType);
        return (int) INVOKER.invokeN5(mount.context(), mount.address(), src, tgt, fs, flags, addressOf(data));
    }

    @Override
    public int umount2(String target, int flags) {
        Scratch s = SCRATCH.get().reset();
        long t = s.string(target);
        return (int) INVOKER.invokeN2(umount2.context(), umount2.address(), t, flags);
    }

    @Override
    public int unlink(String path) {
        Scratch s = SCRATCH.get().reset();
        long p = s.string(path);
        return (int) INVOKER.invokeN1(unlink.context(), unlink.address(), p);
    }

    @Override
    public int gettid() {
        return INVOKER.invokeI0(gettid.context(), gettid.address());
    }

    @Override
    public int getpid() {
        return INVOKER.invokeI0(getpid.context(), getpid.address());
    }

    @Override
    public int geteuid() {
        return INVOKER.invokeI0(geteuid.context(), geteuid.address());
    }

    private static long addressOf(Pointer p) {
        return p == null ? 0 : p.address();
    }

    /** One libc function: its symbol looked up, and its call context made, on first use. */
    private final class Fn {
        private final String name;
        private final Type result;
        private final Type[] parameters;
        private volatile long address;
        private volatile CallContext context;

        Fn(String name, Type result, Type... parameters) {
            this.name = name;
            this.result = result;
            this.parameters = parameters;
        }

        long address() {
            long a = address;
            if (a == 0) {
                a = library.getSymbolAddress(name);
                if (a == 0) {
                    throw new UnsatisfiedLinkError("libc has no " + name + ": " + Library.getLastError());
                }
                address = a;
            }
            return a;
        }

        CallContext context() {
            CallContext c = context;
            if (c == null) {
                c = CallContext.getCallContext(result, parameters, CallingConvention.DEFAULT, true); // true: save errno
                context = c;
            }
            return c;
        }
    }

    /**
     * Per-thread native memory for one call's arguments: C strings, int arrays, copies of heap
     * buffers. {@link #reset()} at the start of each call; a call's pieces never overlap.
     */
    private static final class Scratch {
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(8192).order(ByteOrder.nativeOrder());
        private final long base = MEMORY.getDirectBufferAddress(buffer);
        /** Pieces too big for {@link #buffer}, each in its own direct buffer, kept reachable until the next call. */
        private final List<ByteBuffer> large = new ArrayList<>();
        private int used;

        Scratch reset() {
            used = 0;
            large.clear();
            return this;
        }

        /** Room for {@code n} bytes that stays put until {@link #reset()}. */
        private long take(int n) {
            int need = used + ((n + 7) & ~7);
            if (need > buffer.capacity()) {
                ByteBuffer own = ByteBuffer.allocateDirect(Math.max(n, 1)).order(ByteOrder.nativeOrder());
                large.add(own);
                return MEMORY.getDirectBufferAddress(own);
            }
            long at = base + used;
            used = need;
            return at;
        }

        long string(String s) {
            if (s == null) {
                return 0;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            long at = take(b.length + 1);
            MEMORY.putZeroTerminatedByteArray(at, b, 0, b.length);
            return at;
        }

        long ints(int[] values) {
            long at = take(values.length * 4);
            for (int i = 0; i < values.length; i++) {
                MEMORY.putInt(at + i * 4L, values[i]);
            }
            return at;
        }

        void readInts(long at, int[] values) {
            for (int i = 0; i < values.length; i++) {
                values[i] = MEMORY.getInt(at + i * 4L);
            }
        }

        long bytes(byte[] from, int length) {
            long at = take(length);
            if (from != null) {
                MEMORY.putByteArray(at, from, 0, length);
            }
            return at;
        }

        /** The address of what {@code b} holds from its position: its own memory if direct, else a copy. */
        long in(ByteBuffer b) {
            if (b == null) {
                return 0;
            }
            if (b.isDirect()) {
                return MEMORY.getDirectBufferAddress(b) + b.position();
            }
            byte[] copy = new byte[b.remaining()];
            b.duplicate().get(copy);
            return bytes(copy, copy.length);
        }

        /** Where the callee may write {@code b}'s remaining bytes: its own memory if direct, else scratch (see {@link #copyBack}). */
        long out(ByteBuffer b) {
            if (b == null) {
                return 0;
            }
            if (b.isDirect()) {
                return MEMORY.getDirectBufferAddress(b) + b.position();
            }
            return bytes(null, b.remaining());
        }

        /** For a heap buffer given to {@link #out}: copies what the callee wrote back into it. */
        void copyBack(ByteBuffer b, long at) {
            if (b == null || b.isDirect()) {
                return;
            }
            byte[] data = new byte[b.remaining()];
            MEMORY.getByteArray(at, data, 0, data.length);
            b.duplicate().put(data);
        }
    }
}
