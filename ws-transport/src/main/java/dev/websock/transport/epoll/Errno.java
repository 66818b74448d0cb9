package dev.websock.transport.epoll;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;

/**
 * The Linux error numbers this transport acts on or reports, and the exceptions that carry them. The numbers are
 * those of asm-generic/errno-base.h and errno.h, the same on x86-64 and aarch64; the messages are glibc's
 * {@code strerror} texts, kept here so that reporting an error needs no further native call.
 */
final class Errno {
    static final int EPERM = 1;
    static final int EINTR = 4;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int EINVAL = 22;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int EPIPE = 32;
    static final int ENONET = 64;
    static final int EPROTO = 71;
    static final int ENOPROTOOPT = 92;
    static final int EOPNOTSUPP = 95;
    static final int EAFNOSUPPORT = 97;
    static final int EADDRINUSE = 98;
    static final int EADDRNOTAVAIL = 99;
    static final int ENETDOWN = 100;
    static final int ENETUNREACH = 101;
    static final int ECONNABORTED = 103;
    static final int ECONNRESET = 104;
    static final int ENOBUFS = 105;
    static final int ENOTCONN = 107;
    static final int ETIMEDOUT = 110;
    static final int ECONNREFUSED = 111;
    static final int EHOSTDOWN = 112;
    static final int EHOSTUNREACH = 113;
    static final int EINPROGRESS = 115;

    private Errno() {
    }

    /** {@code "ECONNRESET"}, or {@code "errno 71"} for a number not listed here. */
    static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case EINTR -> "EINTR";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EINVAL -> "EINVAL";
            case ENFILE -> "ENFILE";
            case EMFILE -> "EMFILE";
            case EPIPE -> "EPIPE";
            case ENONET -> "ENONET";
            case EPROTO -> "EPROTO";
            case ENOPROTOOPT -> "ENOPROTOOPT";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case ENETDOWN -> "ENETDOWN";
            case EHOSTDOWN -> "EHOSTDOWN";
            case EAFNOSUPPORT -> "EAFNOSUPPORT";
            case EADDRINUSE -> "EADDRINUSE";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            case ENETUNREACH -> "ENETUNREACH";
            case ECONNABORTED -> "ECONNABORTED";
            case ECONNRESET -> "ECONNRESET";
            case ENOBUFS -> "ENOBUFS";
            case ENOTCONN -> "ENOTCONN";
            case ETIMEDOUT -> "ETIMEDOUT";
            case ECONNREFUSED -> "ECONNREFUSED";
            case EHOSTUNREACH -> "EHOSTUNREACH";
            case EINPROGRESS -> "EINPROGRESS";
            default -> "errno " + errno;
        };
    }

    /** glibc's {@code strerror} text for {@code errno}. */
    static String message(int errno) {
        return switch (errno) {
            case EPERM -> "Operation not permitted";
            case EINTR -> "Interrupted system call";
            case EBADF -> "Bad file descriptor";
            case EAGAIN -> "Resource temporarily unavailable";
            case ENOMEM -> "Cannot allocate memory";
            case EACCES -> "Permission denied";
            case EINVAL -> "Invalid argument";
            case ENFILE -> "Too many open files in system";
            case EMFILE -> "Too many open files";
            case EPIPE -> "Broken pipe";
            case ENONET -> "Machine is not on the network";
            case EPROTO -> "Protocol error";
            case ENOPROTOOPT -> "Protocol not available";
            case EOPNOTSUPP -> "Operation not supported";
            case ENETDOWN -> "Network is down";
            case EHOSTDOWN -> "Host is down";
            case EAFNOSUPPORT -> "Address family not supported by protocol";
            case EADDRINUSE -> "Address already in use";
            case EADDRNOTAVAIL -> "Cannot assign requested address";
            case ENETUNREACH -> "Network is unreachable";
            case ECONNABORTED -> "Software caused connection abort";
            case ECONNRESET -> "Connection reset by peer";
            case ENOBUFS -> "No buffer space available";
            case ENOTCONN -> "Transport endpoint is not connected";
            case ETIMEDOUT -> "Connection timed out";
            case ECONNREFUSED -> "Connection refused";
            case EHOSTUNREACH -> "No route to host";
            case EINPROGRESS -> "Operation now in progress";
            default -> "Unknown error";
        };
    }

    /**
     * The exception for {@code call} failing with {@code errno}, as {@code "writev: Connection reset by peer
     * (ECONNRESET)"}, of the type the JDK's own sockets use for it, so that callers that tell a refused connect or
     * a reset from other failures see the same types as with NIO.
     */
    static IOException exception(String call, int errno) {
        String message = call + ": " + message(errno) + " (" + name(errno) + ")";
        return switch (errno) {
            case ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH -> new ConnectException(message);
            case EADDRINUSE, EADDRNOTAVAIL, EACCES -> new BindException(message);
            case ECONNRESET, EPIPE, ECONNABORTED, ENOTCONN -> new SocketException(message);
            default -> new IOException(message);
        };
    }
}
