package dev.websock.transport.epoll;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * The Linux system calls of the epoll transport, bound through the Foreign Function and Memory API, and one
 * thread's memory to make them with: the {@code errno} capture ({@link Linker.Option#captureCallState}) and a
 * scratch area for socket addresses and option values. An event loop owns one instance and makes every call on
 * its connections with it, so no call allocates; code on other threads (binding a listener, asking a closed-over
 * connection for its address) makes a short-lived instance in a confined arena.
 *
 * <p>Pointers are passed as {@code long} addresses, not as {@link MemorySegment}s: on LP64 Linux (the System V
 * x86-64 ABI and AAPCS64) a pointer and a 64-bit integer travel in the same general-purpose register, and an
 * address needs no segment object per call. The calls that never block on a non-blocking socket (read, write,
 * writev, accept4, shutdown, close) are {@linkplain Linker.Option#critical(boolean) critical}: they skip the
 * thread-state transition to native; {@code epoll_wait} blocks, so it is not (a critical call holds off
 * safepoints, and a garbage collection would wait for it).
 *
 * <p>The calls of the steady state (read, write, writev, epoll_wait) are first made without the {@code errno}
 * capture, and again with it only when they fail: in JDK 25 every captured call allocates a slice of the capture
 * segment ({@code SharedUtils.checkCaptureSegment}) that the JIT does not eliminate, and a successful call needs no
 * {@code errno}. The retry is sound for these calls: it does again what failed, and either succeeds (the socket
 * became ready in between) or fails again with its {@code errno} captured.
 *
 * <p>Results follow {@link java.nio.channels.SocketChannel}'s conventions where there is one (0 for "would
 * block", -1 for the end of the stream); other failures become the {@link IOException}s of {@link Errno}.
 * {@code EINTR} is retried (signal(7): a signal handler installed without {@code SA_RESTART} interrupts calls).
 */
final class Syscalls {
    // socket(2), socket(7), tcp(7), ip(7), ipv6(7): the same values on x86-64 and aarch64.
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_STREAM = 1;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_ERROR = 4;
    static final int SO_LINGER = 13;
    static final int IPPROTO_TCP = 6;
    static final int TCP_NODELAY = 1;
    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_V6ONLY = 26;
    static final int SHUT_WR = 1;
    // epoll_ctl(2), epoll_create(2), eventfd(2).
    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLLIN = 0x1;
    static final int EPOLLOUT = 0x4;
    static final int EPOLLERR = 0x8;
    static final int EPOLLHUP = 0x10;
    static final int EPOLLRDHUP = 0x2000;
    static final int EPOLLET = 1 << 31;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;

    /**
     * {@code struct epoll_event} is {@code __attribute__((packed))} on x86-64 only (sys/epoll.h, for the layout of
     * the 32-bit ABI): 12 bytes with the 64-bit {@code data} at offset 4. Elsewhere, aarch64 included, it has
     * natural alignment: 16 bytes, {@code data} at 8.
     */
    static final boolean X86_64 = isX86_64(System.getProperty("os.arch", ""));
    static final long EPOLL_EVENT_SIZE = X86_64 ? 12 : 16;
    static final long EPOLL_EVENT_DATA = X86_64 ? 4 : 8;
    /** {@code struct iovec}: a pointer and a {@code size_t}. */
    static final long IOVEC_SIZE = 16;
    /** {@code struct sockaddr_storage}: room for any address. */
    private static final int SOCKADDR_STORAGE_SIZE = 128;
    private static final int SOCKADDR_IN_SIZE = 16;
    private static final int SOCKADDR_IN6_SIZE = 28;

    private static final ValueLayout.OfInt INT_UNALIGNED = JAVA_INT.withByteAlignment(1);
    private static final ValueLayout.OfLong LONG_UNALIGNED = JAVA_LONG.withByteAlignment(1);
    private static final ValueLayout.OfShort PORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final long ERRNO_OFFSET = Linker.Option.captureStateLayout()
            .byteOffset(MemoryLayout.PathElement.groupElement("errno"));

    private final MemorySegment callState;
    private final MemorySegment scratch;
    private final MemorySegment length;

    /** Memory for one thread's calls, from {@code arena}. */
    Syscalls(Arena arena) {
        this.callState = arena.allocate(Linker.Option.captureStateLayout());
        this.scratch = arena.allocate(SOCKADDR_STORAGE_SIZE, 8);
        this.length = arena.allocate(JAVA_INT);
    }

    // ---- availability ----

    /** Why the transport cannot run here, or {@code null} when it can. */
    static String unavailableReason() {
        return Availability.REASON;
    }

    private static boolean isX86_64(String arch) {
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    private static final class Availability {
        static final String REASON = check();

        private static String check() {
            String os = System.getProperty("os.name", "");
            String arch = System.getProperty("os.arch", "");
            if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
                return "epoll is a Linux API and this is " + os + "; use the nio transport";
            }
            if (!isX86_64(arch) && !arch.equals("aarch64")) {
                return "the epoll transport knows the struct layouts of x86-64 and aarch64 Linux only, and this is "
                        + arch + "; use the nio transport";
            }
            Module module = Syscalls.class.getModule();
            if (!module.isNativeAccessEnabled()) {
                return "native access to dev.websock.transport is not enabled: run with"
                        + " --enable-native-access=dev.websock.transport (or ALL-UNNAMED on the class path)";
            }
            try {
                // Binds every function, and proves that epoll works here (a seccomp filter could forbid it).
                try (Arena arena = Arena.ofConfined()) {
                    Syscalls probe = new Syscalls(arena);
                    probe.close(probe.epollCreate());
                }
                return null;
            } catch (IllegalCallerException denied) {
                return "native access to dev.websock.transport is denied (" + denied.getMessage() + "): run with"
                        + " --enable-native-access=dev.websock.transport (or ALL-UNNAMED on the class path)";
            } catch (IOException e) {
                return e.getMessage() + "; use the nio transport";
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                Throwable cause = e instanceof ExceptionInInitializerError init && init.getCause() != null
                        ? init.getCause() : e;
                return "the C library's socket and epoll functions could not be bound (" + cause
                        + "); use the nio transport";
            }
        }
    }

    /** The downcall handles; loaded only once the platform and native access are known to be right. */
    private static final class Native {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final SymbolLookup LIBC = LINKER.defaultLookup();
        private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
        private static final Linker.Option CRITICAL = Linker.Option.critical(false);

        static final MethodHandle SOCKET = bind("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle SETSOCKOPT = bind("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG,
                JAVA_INT);
        static final MethodHandle GETSOCKOPT = bind("getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG,
                JAVA_LONG);
        static final MethodHandle BIND = bind("bind", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
        static final MethodHandle LISTEN = bind("listen", JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle CONNECT = bind("connect", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
        static final MethodHandle GETSOCKNAME = bind("getsockname", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
        static final MethodHandle GETPEERNAME = bind("getpeername", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
        static final MethodHandle ACCEPT4 = bindCritical("accept4", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG,
                JAVA_INT);
        static final MethodHandle SHUTDOWN = bindCritical("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle CLOSE = bindCritical("close", JAVA_INT, JAVA_INT);
        static final MethodHandle READ = bindCritical("read", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
        static final MethodHandle WRITEV = bindCritical("writev", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
        // The same calls without the errno capture, for the first attempt; see the class comment. (write: only
        // the event fd's wake-up, whose failure needs no errno; see wake's comment.)
        static final MethodHandle READ_FIRST = bindCriticalNoErrno("read", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
        static final MethodHandle WRITE_FIRST = bindCriticalNoErrno("write", JAVA_LONG, JAVA_INT, JAVA_LONG,
                JAVA_LONG);
        static final MethodHandle WRITEV_FIRST = bindCriticalNoErrno("writev", JAVA_LONG, JAVA_INT, JAVA_LONG,
                JAVA_INT);
        static final MethodHandle EPOLL_WAIT_FIRST = LINKER.downcallHandle(find("epoll_wait"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
        static final MethodHandle EPOLL_CREATE1 = bind("epoll_create1", JAVA_INT, JAVA_INT);
        static final MethodHandle EPOLL_CTL = bind("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
        static final MethodHandle EPOLL_WAIT = bind("epoll_wait", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
        static final MethodHandle EVENTFD = bind("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
        /** The 8-byte counter increment that an eventfd wake-up writes (eventfd(2)); never freed. */
        static final MemorySegment ONE = one();

        private static MemorySegment one() {
            MemorySegment one = Arena.global().allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1L);
            return one;
        }

        private static MethodHandle bind(String name, ValueLayout result, ValueLayout... arguments) {
            return LINKER.downcallHandle(find(name), FunctionDescriptor.of(result, arguments), ERRNO);
        }

        private static MethodHandle bindCritical(String name, ValueLayout result, ValueLayout... arguments) {
            return LINKER.downcallHandle(find(name), FunctionDescriptor.of(result, arguments), ERRNO, CRITICAL);
        }

        private static MethodHandle bindCriticalNoErrno(String name, ValueLayout result, ValueLayout... arguments) {
            return LINKER.downcallHandle(find(name), FunctionDescriptor.of(result, arguments), CRITICAL);
        }

        private static MemorySegment find(String name) {
            return LIBC.find(name).orElseThrow(() -> new IllegalStateException("the C library has no " + name));
        }
    }

    // ---- calls ----

    private int errno() {
        return callState.get(JAVA_INT, ERRNO_OFFSET);
    }

    private static RuntimeException rethrown(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("a downcall failed", e);
    }

    /** A non-blocking, close-on-exec TCP socket of {@code family}. */
    int socket(int family) throws IOException {
        int fd;
        try {
            fd = (int) Native.SOCKET.invokeExact(callState, family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        } catch (Throwable e) {
            throw rethrown(e);
        }
        if (fd < 0) {
            throw Errno.exception("socket", errno());
        }
        return fd;
    }

    void setIntOption(int fd, int level, int option, int value) throws IOException {
        scratch.set(JAVA_INT, 0, value);
        setOption(fd, level, option, 4);
    }

    /** SO_LINGER on with a zero timeout: close(2) then resets the connection instead of ending it (socket(7)). */
    void setLingerZero(int fd) throws IOException {
        scratch.set(JAVA_INT, 0, 1); // l_onoff
        scratch.set(JAVA_INT, 4, 0); // l_linger
        setOption(fd, SOL_SOCKET, SO_LINGER, 8);
    }

    private void setOption(int fd, int level, int option, int size) throws IOException {
        int rc;
        try {
            rc = (int) Native.SETSOCKOPT.invokeExact(callState, fd, level, option, scratch.address(), size);
        } catch (Throwable e) {
            throw rethrown(e);
        }
        if (rc < 0) {
            throw Errno.exception("setsockopt", errno());
        }
    }

    /** The pending error of {@code fd} (SO_ERROR), which tells how a non-blocking connect ended (connect(2)). */
    int pendingError(int fd) throws IOException {
        length.set(JAVA_INT, 0, 4);
        int rc;
        try {
            rc = (int) Native.GETSOCKOPT.invokeExact(callState, fd, SOL_SOCKET, SO_ERROR, scratch.address(),
                    length.address());
        } catch (Throwable e) {
            throw rethrown(e);
        }
        if (rc < 0) {
            throw Errno.exception("getsockopt", errno());
        }
        return scratch.get(JAVA_INT, 0);
    }

    void bind(int fd, InetSocketAddress address) throws IOException {
        int size = writeSockaddr(address);
        int rc;
        try {
            rc = (int) Native.BIND.invokeExact(callState, fd, scratch.address(), size);
        } catch (Throwable e) {
            throw rethrown(e);
        }
        if (rc < 0) {
            throw Errno.exception("bind to " + address, errno());
        }
    }

    void listen(int fd, int backlog) throws IOException {
        int rc;
        try {
            rc = (int) Native.LISTEN.invokeExact(callState, fd, backlog);
        } catch (Throwable e) {
            throw rethrown(e);
        }
        if (rc < 0) {
            throw Errno.exception("listen", errno());
        }
    }

    /** Starts connecting; true when already connected, false when in progress (EPOLLOUT then tells). */
    boolean connect(int fd, InetSocketAddress address) throws IOException {
        int size = writeSockaddr(address);
        while (true) {
            int rc;
            try {
                rc = (int) Native.CONNECT.invokeExact(callState, fd, scratch.address(), size);
            } catch (Throwable e) {
                throw rethrown(e);
            }
            if (rc == 0) {
                return true;
            }
            int errno = errno();
            if (errno == Errno.EINPROGRESS) {
                return false;
            }
            if (errno == Errno.EINTR) {
                // connect(2): an interrupted connect goes on asynchronously, as if in progress.
                return false;
            }
            throw Errno.exception("connect to " + address, errno);
        }
    }

    /**
     * Accepts one connection as a non-blocking, close-on-exec socket: its descriptor, or minus the errno
     * ({@code -EAGAIN} when none is pending), so that the caller decides without an exception.
     */
    int accept(int fd) {
        while (true) {
            int rc;
            try {
                rc = (int) Native.ACCEPT4.invokeExact(callState, fd, 0L, 0L, SOCK_NONBLOCK | SOCK_CLOEXEC);
            } catch (Throwable e) {
                throw rethrown(e);
            }
            if (rc >= 0) {
                return rc;
            }
            int errno = errno();
            if (errno != Errno.EINTR) {
                return -errno;
            }
        }
    }

    /** The socket's own address (getsockname), or {@code null} when it has none any more. */
    InetSocketAddress localAddress(int fd) {
        return address(Native.GETSOCKNAME, fd);
    }

    /** The peer's address (getpeername), or {@code null} when not connected. */
    InetSocketAddress remoteAddress(int fd) {
        return address(Native.GETPEERNAME, fd);
    }

    private InetSocketAddress address(MethodHandle call, int fd) {
        length.set(JAVA_INT, 0, SOCKADDR_STORAGE_SIZE);
        int rc;
        try {
            rc = (int) call.invokeExact(callState, fd, scratch.address(), length.address());
        } catch (Throwable e) {
            throw rethrown(e);
        }
        return rc < 0 ? null : readSockaddr();
    }

    /** Ends the outbound stream: FIN once the queued bytes are sent (shutdown(2)). */
    void shutdownOutput(int fd) throws IOException {
        int rc;
        try {
            rc = (int) Native.SHUTDOWN.invokeExact(callState, fd, SHUT_WR);
        } catch (Throwable e) {
            throw rethrown(e);
        }
        if (rc < 0) {
            throw Errno.exception("shutdown", errno());
        }
    }

    /**
     * Closes {@code fd}; returns 0 or the errno. Never retried: on Linux the descriptor is released even when
     * close(2) reports EINTR, and a retry could close a descriptor another thread has just been given.
     */
    int close(int fd) {
        int rc;
        try {
            rc = (int) Native.CLOSE.invokeExact(callState, fd);
        } catch (Throwable e) {
            throw rethrown(e);
        }
        return rc < 0 ? errno() : 0;
    }

    /** Reads up to {@code count} bytes to {@code address}: the count, 0 when none is ready, -1 at the end. */
    long read(int fd, long address, long count) throws IOException {
        long first;
        try {
            first = (long) Native.READ_FIRST.invokeExact(fd, address, count);
        } catch (Throwable e) {
            throw rethrown(e);
        }
        if (first > 0) {
            return first;
        }
        if (first == 0) {
            return -1;
        }
        while (true) {
            long n;
            try {
                n = (long) Native.READ.invokeExact(callState, fd, address, count);
            } catch (Throwable e) {
                throw rethrown(e);
            }
            if (n > 0) {
                return n;
            }
            if (n == 0) {
                // The first attempt failed and this one finds the end: the first took the socket's pending error
                // (the kernel clears it as it reports it) and a reset or timeout had also ended its input. A
                // reset is by far the likelier; it must not look like a clean end of stream.
                throw Errno.exception("read", Errno.ECONNRESET);
            }
            int errno = errno();
            if (errno == Errno.EAGAIN) {
                return 0;
            }
            if (errno != Errno.EINTR) {
                throw Errno.exception("read", errno);
            }
        }
    }

    /** Writes {@code count} iovecs at {@code iov}: the bytes written, 0 when the socket buffer is full. */
    long writev(int fd, long iov, int count) throws IOException {
        long first;
        try {
            first = (long) Native.WRITEV_FIRST.invokeExact(fd, iov, count);
        } catch (Throwable e) {
            throw rethrown(e);
        }
        if (first >= 0) {
            return first;
        }
        while (true) {
            long n;
            try {
                n = (long) Native.WRITEV.invokeExact(callState, fd, iov, count);
            } catch (Throwable e) {
                throw rethrown(e);
            }
            if (n >= 0) {
                return n;
            }
            int errno = errno();
            if (errno == Errno.EAGAIN) {
                return 0;
            }
            if (errno != Errno.EINTR) {
                throw Errno.exception("writev", errno);
            }
        }
    }

    int epollCreate() throws IOException {
        int fd;
        try {
            fd = (int) Native.EPOLL_CREATE1.invokeExact(callState, EPOLL_CLOEXEC);
        } catch (Throwable e) {
            throw rethrown(e);
        }
        if (fd < 0) {
            throw Errno.exception("epoll_create1", errno());
        }
        return fd;
    }

    /** Adds {@code fd} to the interest list with {@code events} and {@code data} (EPOLL_CTL_ADD). */
    void epollAdd(int epfd, int fd, int events, long data) throws IOException {
        scratch.set(JAVA_INT, 0, events);
        scratch.set(LONG_UNALIGNED, EPOLL_EVENT_DATA, data);
        int rc;
        try {
            rc = (int) Native.EPOLL_CTL.invokeExact(callState, epfd, EPOLL_CTL_ADD, fd, scratch.address());
        } catch (Throwable e) {
            throw rethrown(e);
        }
        if (rc < 0) {
            throw Errno.exception("epoll_ctl", errno());
        }
    }

    /** Waits up to {@code timeoutMillis} (-1: no limit) for events; their count, 0 when interrupted. */
    int epollWait(int epfd, long events, int maxEvents, int timeoutMillis) throws IOException {
        int n;
        try {
            n = (int) Native.EPOLL_WAIT_FIRST.invokeExact(epfd, events, maxEvents, timeoutMillis);
        } catch (Throwable e) {
            throw rethrown(e);
        }
        if (n >= 0) {
            return n;
        }
        try {
            // Again without blocking, to learn the errno: EINTR (a signal) is the one failure that is not a bug.
            n = (int) Native.EPOLL_WAIT.invokeExact(callState, epfd, events, maxEvents, 0);
        } catch (Throwable e) {
            throw rethrown(e);
        }
        if (n >= 0) {
            return n;
        }
        int errno = errno();
        if (errno == Errno.EINTR) {
            return 0; // the loop recomputes its timeout and waits again
        }
        throw Errno.exception("epoll_wait", errno);
    }

    /** A non-blocking, close-on-exec eventfd with a zero counter, to wake an event loop. */
    int eventfd() throws IOException {
        int fd;
        try {
            fd = (int) Native.EVENTFD.invokeExact(callState, 0, EFD_NONBLOCK | EFD_CLOEXEC);
        } catch (Throwable e) {
            throw rethrown(e);
        }
        if (fd < 0) {
            throw Errno.exception("eventfd", errno());
        }
        return fd;
    }

    /**
     * Adds one to an eventfd's counter, from any thread, without allocating. A failure (EAGAIN at a counter near
     * 2^64) means the loop has wake-ups pending already, so it is ignored.
     */
    static void wake(int eventfd) {
        try {
            long ignored = (long) Native.WRITE_FIRST.invokeExact(eventfd, Native.ONE.address(), 8L);
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    // ---- socket addresses (ip(7), ipv6(7)): the family in host order, port and address in network order ----

    private int writeSockaddr(InetSocketAddress address) throws IOException {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IOException("the address " + address + " is unresolved; resolve it before connecting");
        }
        scratch.fill((byte) 0);
        scratch.set(PORT, 2, (short) address.getPort());
        if (ip instanceof Inet4Address) {
            scratch.set(JAVA_SHORT, 0, (short) AF_INET);
            MemorySegment.copy(ip.getAddress(), 0, scratch, JAVA_BYTE, 4, 4);
            return SOCKADDR_IN_SIZE;
        }
        Inet6Address ip6 = (Inet6Address) ip;
        scratch.set(JAVA_SHORT, 0, (short) AF_INET6);
        MemorySegment.copy(ip6.getAddress(), 0, scratch, JAVA_BYTE, 8, 16);
        scratch.set(INT_UNALIGNED, 24, ip6.getScopeId());
        return SOCKADDR_IN6_SIZE;
    }

    private InetSocketAddress readSockaddr() {
        int family = scratch.get(JAVA_SHORT, 0);
        int port = scratch.get(PORT, 2) & 0xffff;
        try {
            if (family == AF_INET) {
                byte[] ip = new byte[4];
                MemorySegment.copy(scratch, JAVA_BYTE, 4, ip, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(ip), port);
            }
            if (family == AF_INET6) {
                byte[] ip = new byte[16];
                MemorySegment.copy(scratch, JAVA_BYTE, 8, ip, 0, 16);
                int scope = scratch.get(INT_UNALIGNED, 24);
                // getByAddress turns an IPv4-mapped address (a dual-stack socket's IPv4 peer) into an Inet4Address,
                // as the JDK's own sockets report it.
                InetAddress address = scope != 0 ? Inet6Address.getByAddress(null, ip, scope)
                        : InetAddress.getByAddress(ip);
                return new InetSocketAddress(address, port);
            }
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("a 4- or 16-byte address was refused", impossible);
        }
        return null;
    }

    static boolean isAnyLocalIpv4(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ip && ip.isAnyLocalAddress();
    }
}
